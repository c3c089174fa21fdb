// The bytes of files this process received lately, by hash: a submission usually names the file its sender uploaded a moment before, and its check then reads them from memory instead of the database.

/** Bytes kept in all (the least recently used go first). */
export const RECENT_BLOB_BYTES = 32 * 1024 * 1024;
/** A file larger than this is not kept: one would push out many small ones, and a large file is read once anyway. */
export const RECENT_BLOB_MAX_FILE = 8 * 1024 * 1024;

/**
 * Content-addressed, so never stale: the bytes under a hash are the bytes the server stored under it (putBlob checked
 * them). Holds no permission: whoever asks still asks the database whether the agency may read the file.
 */
export class RecentBlobs {
  private readonly kept = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(
    private readonly budget = RECENT_BLOB_BYTES,
    private readonly maxFile = RECENT_BLOB_MAX_FILE,
  ) {}

  /** Keeps a copy of `bytes` (the caller's buffer may be a slice of a larger one, or reused). */
  remember(sha256: string, bytes: Uint8Array): void {
    if (bytes.length > this.maxFile || bytes.length > this.budget) return;
    this.forget(sha256);
    this.kept.set(sha256, bytes.slice());
    this.bytes += bytes.length;
    for (const [oldest, held] of this.kept) {
      if (this.bytes <= this.budget) break;
      this.kept.delete(oldest);
      this.bytes -= held.length;
    }
  }

  /** The bytes under `sha256` if still kept (now the most recently used); never changed by the caller. */
  get(sha256: string): Uint8Array | undefined {
    const held = this.kept.get(sha256);
    if (held) {
      this.kept.delete(sha256);
      this.kept.set(sha256, held);
    }
    return held;
  }

  get size(): { files: number; bytes: number } {
    return { files: this.kept.size, bytes: this.bytes };
  }

  private forget(sha256: string): void {
    const held = this.kept.get(sha256);
    if (!held) return;
    this.kept.delete(sha256);
    this.bytes -= held.length;
  }
}
