// Zipped attachments unpacked within limits (entry count, each entry's size, total size, compression ratio), names cut to safe base names.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { VanthuError } from '../../shared/errors.js';
import { safeBaseName } from './text-safety.js';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked for entries above 1 MiB (small files compress far better and are harmless). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200, maxEntryBytes: 100 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024, maxRatio: 200 };

export interface ZipEntry {
  /** The entry's name as written in the zip. */
  path: string;
  /** The safe base name to store or show it under. */
  name: string;
  bytes: Uint8Array;
}

/** A zip (local file header "PK\x03\x04", or an empty one "PK\x05\x06"). */
export const looksLikeZip = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));

/**
 * The files of the zip `bytes`. Sizes are checked from the central directory before anything is inflated, and each
 * inflated entry must have the size it declared (fflate inflates into a buffer of that size, so a lying header
 * cannot make it allocate more). Directories are skipped.
 */
export function unpackZip(bytes: Uint8Array, attachmentName: string, limits: Partial<ZipLimits> = {}): ZipEntry[] {
  const all = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const refuse = (detail: string): VanthuError => new VanthuError('EDXML_ATTACHMENT_INVALID', { name: attachmentName, detail });
  let count = 0;
  let total = 0;
  const declared = new Map<string, number>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(file: UnzipFileInfo): boolean {
        if (file.name.endsWith('/')) return false;
        count += 1;
        if (count > all.maxEntries) throw refuse(`zip holds more than ${all.maxEntries} files / tệp nén có quá nhiều tệp`);
        if (file.originalSize > all.maxEntryBytes) throw refuse(`zip entry ${file.name.slice(0, 80)} is ${file.originalSize} bytes, more than ${all.maxEntryBytes} / tệp trong tệp nén quá lớn`);
        total += file.originalSize;
        if (total > all.maxTotalBytes) throw refuse(`zip unpacks to more than ${all.maxTotalBytes} bytes / tệp nén giải ra quá lớn`);
        if (file.originalSize > 1024 * 1024 && file.originalSize / Math.max(file.size, 1) > all.maxRatio) {
          throw refuse(`zip entry ${file.name.slice(0, 80)} compressed more than ${all.maxRatio}:1 (a zip bomb?) / tỷ lệ nén bất thường`);
        }
        if (file.compression !== 0 && file.compression !== 8) throw refuse(`zip entry ${file.name.slice(0, 80)} uses compression method ${file.compression}; only stored and deflate are read / phương pháp nén không hỗ trợ`);
        declared.set(file.name, file.originalSize);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof VanthuError) throw error;
    throw refuse(`not a readable zip: ${(error as Error).message} / tệp nén hỏng`);
  }
  const used = new Set<string>();
  return Object.entries(files).map(([path, content]) => {
    if (content.length !== declared.get(path)) throw refuse(`zip entry ${path.slice(0, 80)} is not the size its header declares / kích thước không khớp`);
    let name = safeBaseName(path);
    // Two entries in different folders may share a base name: number the later ones.
    for (let i = 2; used.has(name); i += 1) name = `${i}-${safeBaseName(path)}`;
    used.add(name);
    return { path, name, bytes: content };
  });
}
