// Converts an ECDSA signature from the token's raw r||s form to the DER SEQUENCE that CMS and X.509 expect.

const derInteger = (bytes: Uint8Array): Uint8Array => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  // A set high bit would make the INTEGER negative: prefix a zero byte.
  const body = (trimmed[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
  return Uint8Array.of(0x02, ...derLength(body.length), ...body);
};

const derLength = (length: number): number[] =>
  length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];

export function rawEcdsaToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new RangeError(`raw ECDSA signature has odd length ${raw.length}`);
  const half = raw.length / 2;
  const r = derInteger(raw.subarray(0, half));
  const s = derInteger(raw.subarray(half));
  return Uint8Array.of(0x30, ...derLength(r.length + s.length), ...r, ...s);
}
