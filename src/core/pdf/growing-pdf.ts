// A PDF held once in memory and grown by incremental updates written in place into room after it: raising a signature's level never copies the whole file.

/** Room a reader sets aside for the updates of B-T, B-LT and B-LTA (timestamps, chains, OCSP answers, CRLs). */
export const UPGRADE_ROOM = 4 * 1024 * 1024;

/**
 * The file's bytes in [0, size) of `storage`, and free room after them. Each update is appended
 * in the room; only an update that does not fit moves the whole file (once, into a bigger store
 * with room again). Without room (a caller's own array) the first update costs that one copy,
 * which is what concatenating did, and the next ones are free.
 */
export class GrowingPdf {
  private storage: Buffer;
  private length: number;
  /** Size of the file as it was given, before any update appended here. */
  readonly base: number;

  /**
   * `storage` holds the file in [0, size); bytes after `size` are room this object may write:
   * nothing else may view them. Pass the array itself (size = its length) to give no room.
   */
  constructor(storage: Uint8Array, size = storage.length) {
    if (!Number.isInteger(size) || size < 0 || size > storage.length) throw new RangeError(`size ${size} outside the ${storage.length} bytes given`);
    // A Buffer view of the same memory: pdf-lib's parser slices streams out of it without copying.
    this.storage = Buffer.isBuffer(storage) ? storage : Buffer.from(storage.buffer, storage.byteOffset, storage.byteLength);
    this.length = size;
    this.base = size;
  }

  /** The whole file so far, a view (no copy); a later append that needs more room than left leaves older views on the old storage. */
  get bytes(): Buffer {
    return this.storage.subarray(0, this.length);
  }

  get size(): number {
    return this.length;
  }

  /** What was appended since the file was given (the tail to write after it), a view. */
  get appended(): Buffer {
    return this.storage.subarray(this.base, this.length);
  }

  append(update: Uint8Array): void {
    if (this.length + update.length > this.storage.length) {
      // Room again for the next updates: up to UPGRADE_ROOM, no more than the file itself (small files stay small).
      const bigger = Buffer.allocUnsafeSlow(this.length + update.length + Math.min(UPGRADE_ROOM, Math.max(this.length, update.length)));
      this.storage.copy(bigger, 0, 0, this.length);
      this.storage = bigger;
    }
    this.storage.set(update, this.length);
    this.length += update.length;
  }
}
