// Reads a PKCS#11 module's binary header (ELF, PE, Mach-O) to tell, before loading it, whether this process can.
import { open, stat } from 'node:fs/promises';
import { VanthuError } from '../../shared/errors.js';

export type BinaryFormat = 'elf' | 'pe' | 'macho';
export type CpuArch = 'x64' | 'ia32' | 'arm64' | 'arm' | 'other';

export interface BinaryHeader {
  format: BinaryFormat;
  /** Architectures in the file; a macOS universal binary holds several. */
  archs: CpuArch[];
  bits: 32 | 64;
  isLibrary: boolean;
}

const HEADER_BYTES = 4096;

const elfMachine = (code: number): CpuArch =>
  code === 0x3e ? 'x64' : code === 0x03 ? 'ia32' : code === 0xb7 ? 'arm64' : code === 0x28 ? 'arm' : 'other';

const peMachine = (code: number): CpuArch =>
  code === 0x8664 ? 'x64' : code === 0x14c ? 'ia32' : code === 0xaa64 ? 'arm64' : code === 0x1c4 ? 'arm' : 'other';

const machCpu = (code: number): CpuArch =>
  code === 0x01000007 ? 'x64' : code === 7 ? 'ia32' : code === 0x0100000c ? 'arm64' : code === 12 ? 'arm' : 'other';

const bitsOf = (arch: CpuArch): 32 | 64 => (arch === 'x64' || arch === 'arm64' ? 64 : 32);

/** Parses the header bytes of a binary; undefined when it is none of the formats we know. */
export function parseBinaryHeader(bytes: Uint8Array): BinaryHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && view.getUint32(0, false) === 0x7f454c46) {
    const littleEndian = bytes[5] !== 2;
    const bits = bytes[4] === 2 ? 64 : 32;
    const type = view.getUint16(16, littleEndian);
    const arch = elfMachine(view.getUint16(18, littleEndian));
    return { format: 'elf', archs: [arch], bits, isLibrary: type === 3 };
  }
  if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const peOffset = view.getUint32(0x3c, true);
    if (peOffset + 24 > bytes.length || view.getUint32(peOffset, false) !== 0x50450000) return undefined;
    const arch = peMachine(view.getUint16(peOffset + 4, true));
    const characteristics = view.getUint16(peOffset + 22, true);
    return { format: 'pe', archs: [arch], bits: bitsOf(arch), isLibrary: (characteristics & 0x2000) !== 0 };
  }
  if (bytes.length >= 16) {
    const magicLE = view.getUint32(0, true);
    if (magicLE === 0xfeedface || magicLE === 0xfeedfacf) {
      const arch = machCpu(view.getUint32(4, true));
      const fileType = view.getUint32(12, true);
      return { format: 'macho', archs: [arch], bits: magicLE === 0xfeedfacf ? 64 : 32, isLibrary: fileType === 6 || fileType === 8 };
    }
    if (view.getUint32(0, false) === 0xcafebabe) {
      const count = view.getUint32(4, false);
      // Java class files share this magic; a universal binary holds only a handful of slices.
      if (count === 0 || count > 8) return undefined;
      const archs: CpuArch[] = [];
      for (let i = 0; i < count && 8 + i * 20 + 4 <= bytes.length; i++) archs.push(machCpu(view.getUint32(8 + i * 20, false)));
      return { format: 'macho', archs, bits: archs.some((a) => bitsOf(a) === 64) ? 64 : 32, isLibrary: true };
    }
  }
  return undefined;
}

const formatFor = (platform: NodeJS.Platform): BinaryFormat =>
  platform === 'win32' ? 'pe' : platform === 'darwin' ? 'macho' : 'elf';

const formatName: Record<BinaryFormat, string> = { elf: 'ELF (Linux)', pe: 'PE (Windows)', macho: 'Mach-O (macOS)' };

const archName = (arch: CpuArch): string =>
  ({ x64: '64-bit x86-64', ia32: '32-bit x86', arm64: '64-bit ARM', arm: '32-bit ARM', other: 'an unknown CPU' })[arch];

export interface HostTarget {
  platform: NodeJS.Platform;
  arch: string;
}

export const currentHost = (): HostTarget => ({ platform: process.platform, arch: process.arch });

/**
 * Checks that the file at `path` is a shared library this process can load; throws a VanthuError
 * that says why not (missing, not a library, another OS's format, 32-bit in a 64-bit process...).
 */
export async function assertModuleLoadable(path: string, host: HostTarget = currentHost()): Promise<BinaryHeader> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new VanthuError('TOKEN_MODULE_NOT_FOUND', { path });
  if (!info.isFile()) throw new VanthuError('TOKEN_MODULE_NOT_LIBRARY', { path, detail: 'not a regular file / không phải tệp thường' });

  const handle = await open(path, 'r');
  const buffer = new Uint8Array(HEADER_BYTES);
  let read: number;
  try {
    ({ bytesRead: read } = await handle.read(buffer, 0, HEADER_BYTES, 0));
  } finally {
    await handle.close();
  }
  const header = parseBinaryHeader(buffer.subarray(0, read));
  if (!header) throw new VanthuError('TOKEN_MODULE_NOT_LIBRARY', { path, detail: 'unknown file format / định dạng tệp không xác định' });

  const expectedFormat = formatFor(host.platform);
  if (header.format !== expectedFormat) {
    throw new VanthuError('TOKEN_MODULE_WRONG_ARCH', {
      path,
      found: `${formatName[header.format]} ${header.archs.map(archName).join(' + ')}`,
      expected: `${formatName[expectedFormat]} ${archName(host.arch as CpuArch)}`,
    });
  }
  if (!header.isLibrary) {
    throw new VanthuError('TOKEN_MODULE_NOT_LIBRARY', { path, detail: 'an executable, not a shared library / tệp chạy, không phải thư viện' });
  }
  if (!header.archs.includes(host.arch as CpuArch)) {
    throw new VanthuError('TOKEN_MODULE_WRONG_ARCH', {
      path,
      found: header.archs.map(archName).join(' + '),
      expected: archName(host.arch as CpuArch),
    });
  }
  return header;
}
