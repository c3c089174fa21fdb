// Reads a picked or dropped file for IPC: size capped and kind checked before the bytes are base64-encoded.
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument count below the engine's limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const startsWith = (bytes: Uint8Array, magic: readonly number[], within = 1): boolean => {
  const end = Math.min(bytes.length, within + magic.length - 1) - magic.length;
  for (let i = 0; i <= end; i++) if (magic.every((b, j) => bytes[i + j] === b)) return true;
  return false;
};

/** "%PDF-" within the first 1024 bytes (ISO 32000-1 §7.5.2). */
export const isPdf = (bytes: Uint8Array): boolean => startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d], 1024);
export const isPng = (bytes: Uint8Array): boolean => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function readBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
