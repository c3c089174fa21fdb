// Byte and PEM helpers shared by the trust modules.

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index]);

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A copy that owns its buffer: pkijs and asn1js keep views, and callers may reuse theirs. */
export const copyBytes = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** An INTEGER's magnitude in hex without sign padding, so 00 81 and 81 compare equal as serials. */
export const integerHex = (bytes: Uint8Array): string => toHex(bytes).replace(/^(00)+(?=.)/, '').toLowerCase();

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every certificate in a PEM text (a bundle may hold several); other block types are skipped. */
export function certificatesFromPem(text: string): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    if (match[1] === 'CERTIFICATE' || match[1] === 'X509 CERTIFICATE' || match[1] === 'TRUSTED CERTIFICATE') {
      found.push(new Uint8Array(Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64')));
    }
  }
  return found;
}

export const looksLikePem = (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(0, 4096)).toString('latin1').includes('-----BEGIN ');

/** DER of the first PEM block with one of `labels`, or the bytes themselves when they are not PEM. */
export function derFromMaybePem(bytes: Uint8Array, labels: readonly string[]): Uint8Array {
  if (!looksLikePem(bytes)) return bytes;
  for (const match of Buffer.from(bytes).toString('latin1').matchAll(PEM_BLOCK)) {
    if (labels.includes(match[1]!)) return new Uint8Array(Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64'));
  }
  return bytes;
}
