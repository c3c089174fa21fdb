import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { contentsPatch, digestSignedContent, embedSignature, preparePdfSignature, preparedBytes, signedContent, signedParts } from '../../../../src/core/pdf/index.js';

const fixture = (name: string): Uint8Array => readFileSync(`tests/fixtures/pdf/${name}`);
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const update = (prepared: { update: Uint8Array }): string => latin1(prepared.update);

/** A copy of classic-xref.pdf certified with DocMDP permission level P (no real signature needed for the check). */
async function certified(p: number): Promise<Uint8Array> {
  const doc = await PDFDocument.load(fixture('classic-xref.pdf'), { updateMetadata: false });
  const sig = doc.context.obj({
    Type: 'Sig',
    Name: PDFString.of('Chung nhan'),
    Reference: [doc.context.obj({ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: p, V: '1.2' } })],
  });
  doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: doc.context.register(sig) }));
  return doc.save({ useObjectStreams: false });
}

describe('preparePdfSignature', () => {
  it('appends one update with the placeholders framed by the byte range', async () => {
    const original = fixture('classic-xref.pdf');
    const prepared = await preparePdfSignature(original, {
      reservedSize: 100,
      signingTime: new Date('2026-03-05T03:15:30Z'),
      reason: 'Phê duyệt',
      location: 'Cao Bằng',
      name: 'Nguyễn Văn Ký',
      contactInfo: 'vanthu@caobang.gov.vn',
    });
    // The original is handed back as it is, not copied: a big file is held once.
    expect(prepared.original).toBe(original);
    const bytes = preparedBytes(prepared);
    expect(Buffer.compare(bytes.subarray(0, original.length), original)).toBe(0);
    // Exactly one new %%EOF: one update.
    expect(update(prepared).match(/%%EOF/g)).toHaveLength(1);

    const [zero, a, b, c] = prepared.byteRange;
    expect(zero).toBe(0);
    expect(latin1(bytes.subarray(a, b))).toBe(`<${'0'.repeat(200)}>`);
    expect(b + c).toBe(bytes.length);
    // The written /ByteRange says the same numbers.
    const written = /\/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)\s*\]/.exec(update(prepared));
    expect(written?.slice(1).map(Number)).toEqual([0, a, b, c]);

    const text = update(prepared);
    expect(text).toMatch(/\/Type \/Sig\s+\/Filter \/Adobe\.PPKLite\s+\/SubFilter \/ETSI\.CAdES\.detached/);
    expect(text).toContain("/M (D:20260305101530+07'00')");
    // Vietnamese text strings are UTF-16BE with a byte order mark.
    expect(text).toContain(`/Reason <${Buffer.from('\ufeffPhê duyệt', 'utf16le').swap16().toString('hex').toUpperCase()}>`);
    expect(text).toContain('/ContactInfo (vanthu@caobang.gov.vn)');
    expect(text).toMatch(/\/FT \/Sig[\s\S]*\/T \(Signature1\)[\s\S]*\/F 132[\s\S]*\/Rect \[ 0 0 0 0 \]/);
    expect(text).toMatch(/\/SigFlags 3/);
  });

  it('gives the signed bytes: everything but the /Contents hex string', async () => {
    const prepared = await preparePdfSignature(fixture('object-streams.pdf'), { reservedSize: 64 });
    const content = signedContent(prepared);
    const [, a, b] = prepared.byteRange;
    const bytes = preparedBytes(prepared);
    expect(content.length).toBe(bytes.length - (b - a));
    expect(Buffer.from(content)).toEqual(Buffer.concat([bytes.subarray(0, a), bytes.subarray(b)]));
    // Three parts, none a copy: the original itself, the update before /Contents, the update after it.
    const parts = signedParts(prepared);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(prepared.original);
    expect(parts[1]!.buffer).toBe(prepared.update.buffer);
    expect(parts[2]!.buffer).toBe(prepared.update.buffer);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(content));
    expect(latin1(content)).not.toContain('0'.repeat(128));
    expect(Buffer.from(digestSignedContent(prepared, 'SHA-256'))).toEqual(createHash('sha256').update(content).digest());
    expect(Buffer.from(digestSignedContent(prepared, 'SHA-384'))).toEqual(createHash('sha384').update(content).digest());
  });

  it('prepares a plain Uint8Array (a file signed before, held in memory) exactly as a Buffer, and hands it back as given', async () => {
    const asBuffer = fixture('object-streams.pdf');
    const asPlain = new Uint8Array(asBuffer);
    expect(Buffer.isBuffer(asPlain)).toBe(false);
    const options = { reservedSize: 64, signingTime: new Date('2026-03-05T03:15:30Z') };
    const fromBuffer = await preparePdfSignature(asBuffer, options);
    const fromPlain = await preparePdfSignature(asPlain, options);
    expect(fromPlain.original).toBe(asPlain);
    expect(Buffer.compare(fromPlain.update, fromBuffer.update)).toBe(0);
    expect(fromPlain.byteRange).toEqual(fromBuffer.byteRange);
  });

  it('escapes parentheses and backslashes of ASCII text strings', async () => {
    const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 16, location: 'Room (2) \\ HQ' });
    expect(update(prepared)).toContain('/Location (Room \\(2\\) \\\\ HQ)');
  });

  it('uses a given field name, refuses one that exists', async () => {
    expect((await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 64, fieldName: 'Lãnh đạo ký' })).fieldName).toBe('Lãnh đạo ký');
    await expect(preparePdfSignature(fixture('with-form.pdf'), { reservedSize: 64, fieldName: 'Signature1' })).rejects.toMatchObject({ code: 'PDF_FIELD_NAME_TAKEN' });
  });

  it('refuses what it cannot do, with a catalogue code', async () => {
    const pdf = fixture('classic-xref.pdf');
    await expect(preparePdfSignature(new TextEncoder().encode('not a pdf'), { reservedSize: 64 })).rejects.toMatchObject({ code: 'PDF_INVALID' });
    await expect(preparePdfSignature(fixture('encrypted.pdf'), { reservedSize: 64 })).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
    await expect(preparePdfSignature(pdf, { reservedSize: 64, widget: { page: 3, rect: [0, 0, 10, 10] } })).rejects.toMatchObject({ code: 'PDF_PAGE_OUT_OF_RANGE', params: { page: 3, count: 2 } });
    await expect(preparePdfSignature(pdf, { reservedSize: 64, widget: { page: 1, rect: [0, 0, 0, 10] } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(preparePdfSignature(pdf, { reservedSize: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(preparePdfSignature(pdf, { reservedSize: 64, widget: { page: 1, rect: [0, 0, 50, 50], image: new Uint8Array([1, 2, 3]) } })).rejects.toMatchObject({ code: 'PDF_IMAGE_INVALID' });
    await expect(preparePdfSignature(pdf, { reservedSize: 64, widget: { page: 1, rect: [0, 0, 50, 50], text: { lines: ['Ký 签名'], fontSize: 10 } } })).rejects.toMatchObject({
      code: 'PDF_TEXT_GLYPH_MISSING',
      params: { chars: '签 名' },
    });
  });

  it('refuses a document certified with no changes allowed, accepts one that allows signing', async () => {
    await expect(preparePdfSignature(await certified(1), { reservedSize: 64 })).rejects.toMatchObject({ code: 'PDF_CERTIFIED_NO_CHANGES', params: { field: 'Chung nhan' } });
    await expect(preparePdfSignature(await certified(2), { reservedSize: 64 })).resolves.toMatchObject({ fieldName: 'Signature1' });
  });
});

describe('embedSignature', () => {
  it('writes the CMS as hex at the start of /Contents and changes nothing else', async () => {
    const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 16 });
    const cms = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0xab]);
    const signed = embedSignature(prepared, cms);
    const [, a, b] = prepared.byteRange;
    expect(latin1(signed.subarray(a, b))).toBe(`<30030201AB${'0'.repeat(22)}>`);
    const bytes = preparedBytes(prepared);
    expect(signed.length).toBe(bytes.length);
    expect(Buffer.compare(signed.subarray(0, a), bytes.subarray(0, a))).toBe(0);
    expect(Buffer.compare(signed.subarray(b), bytes.subarray(b))).toBe(0);
    // The prepared bytes are left as they were.
    expect(latin1(preparedBytes(prepared).subarray(a, b))).toBe(`<${'0'.repeat(32)}>`);
    // The same hex, given as a patch for a positioned write into a file holding the prepared bytes.
    const patch = contentsPatch(prepared, cms);
    expect(patch.offset).toBe(a + 1);
    const patched = Buffer.from(bytes);
    patched.set(patch.bytes, patch.offset);
    expect(Buffer.compare(patched, signed)).toBe(0);
  });

  it('accepts a CMS of exactly the reserved size, refuses a larger one', async () => {
    const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 16 });
    expect(() => embedSignature(prepared, new Uint8Array(16).fill(0xff))).not.toThrow();
    expect(() => embedSignature(prepared, new Uint8Array(17).fill(0xff))).toThrow(expect.objectContaining({ code: 'PDF_SIGNATURE_TOO_LARGE', params: { size: 17, reserved: 16 } }));
  });

  it('refuses a placeholder that was changed or already filled', async () => {
    const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 16 });
    const signed = embedSignature(prepared, Uint8Array.from([0x30, 0x00]));
    expect(() => embedSignature({ ...prepared, update: signed.subarray(prepared.original.length) }, Uint8Array.from([0x30, 0x00]))).toThrow(expect.objectContaining({ code: 'PDF_PLACEHOLDER_INVALID' }));
    const [, a, b, c] = prepared.byteRange;
    expect(() => embedSignature({ ...prepared, byteRange: [0, a + 1, b, c] }, Uint8Array.from([0x30, 0x00]))).toThrow(expect.objectContaining({ code: 'PDF_PLACEHOLDER_INVALID' }));
    expect(() => signedContent({ ...prepared, update: prepared.update.subarray(0, prepared.update.length - 1) })).toThrow(expect.objectContaining({ code: 'PDF_PLACEHOLDER_INVALID' }));
  });
});
