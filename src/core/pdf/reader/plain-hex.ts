// Hex digits with nothing else among them, decoded by Node at once (a signature's /Contents is tens of thousands of them).

/**
 * The bytes of `digits` when it is only hex digits, an even count of them; undefined when anything else is there (white
 * space, an odd digit, another byte). Node's decoder stops at the first pair that is not hex: a shorter result tells.
 * 4,096 bytes or more come in a buffer of their own, not a view into Node's shared pool.
 */
export function plainHex(digits: Uint8Array): Buffer | undefined {
  if (digits.length % 2 !== 0) return undefined;
  const decoded = Buffer.from(Buffer.from(digits.buffer, digits.byteOffset, digits.byteLength).toString('latin1'), 'hex');
  return decoded.length * 2 === digits.length ? decoded : undefined;
}
