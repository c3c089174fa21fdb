import { describe, expect, it, beforeAll } from 'vitest';
import { embedSignature, lastXref, preparePdfSignature, signedContent } from '../../../../src/core/pdf/index.js';
import type { PreparedPdfSignature } from '../../../../src/core/pdf/index.js';
import { usePki } from '../../../kit/pki.js';
import { discPng, fixture, issueSoftSigner, opensslCms, pdfsig, qpdfCheck, writeTemp, xrefEntry } from '../../../kit/pdf-tools.js';
import type { SoftSigner } from '../../../kit/pdf-tools.js';

const pki = usePki();
// Two signers as in Decree 30 (leader, then the agency seal). Also, pdfsig 22.12 reports "Unknown
// issue with Certificate" for a second signature by the same certificate in one file.
let leader: SoftSigner;
let agency: SoftSigner;
beforeAll(() => {
  leader = issueSoftSigner(pki, 'Nguyễn Văn Ký');
  agency = issueSoftSigner(pki, 'Văn thư UBND tỉnh Cao Bằng');
});

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The /Sig object written in the update: its number and file offset, found in the raw bytes. */
function sigObjectIn(prepared: PreparedPdfSignature): { objectNumber: number; offset: number } {
  const update = latin1(prepared.update);
  const match = /(\d+) 0 obj\s*<<\s*\/Type \/Sig\b/.exec(update);
  if (!match?.[1]) throw new Error('no /Sig object written directly in the update');
  return { objectNumber: Number(match[1]), offset: prepared.original.length + match.index };
}

async function sign(signer: SoftSigner, pdf: Uint8Array, options: Parameters<typeof preparePdfSignature>[1]): Promise<{ prepared: PreparedPdfSignature; signed: Uint8Array; file: string }> {
  const prepared = await preparePdfSignature(pdf, options);
  const signed = embedSignature(prepared, opensslCms(signer, signedContent(prepared)));
  return { prepared, signed, file: writeTemp('signed.pdf', signed) };
}

const cases: { file: string; existing: number; names: [string, string] }[] = [
  { file: 'classic-xref.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'xref-stream.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'object-streams.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'linearized.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'linearized-object-streams.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'with-form.pdf', existing: 0, names: ['Signature2', 'Signature3'] },
  { file: 'incrementally-updated.pdf', existing: 0, names: ['Signature1', 'Signature2'] },
  { file: 'already-signed-by-other-tool.pdf', existing: 1, names: ['Signature1', 'Signature2'] },
];

describe.each(cases)('signing $file', ({ file, existing, names }) => {
  it('adds a valid, trusted signature in one incremental update, then a second that keeps the first valid', async () => {
    const original = fixture(file);
    const originalXref = lastXref(original);
    expect(originalXref).toBeDefined();

    // First signature: visible, image and Vietnamese text.
    const first = await sign(leader, original, {
      reservedSize: 8192,
      reason: 'Phê duyệt văn bản',
      location: 'Cao Bằng',
      widget: { page: 1, rect: [330, 90, 220, 90], image: discPng(64, [20, 40, 200]), text: { lines: ['Người ký: Nguyễn Văn Ký', 'Thời gian ký: 2026-03-05T10:15:30+07:00'], fontSize: 10 } },
    });
    expect(first.prepared.fieldName).toBe(names[0]);
    expect(Buffer.compare(first.signed.subarray(0, original.length), original)).toBe(0);
    const [, a, b, c] = first.prepared.byteRange;
    expect(b + c).toBe(first.signed.length);
    expect(latin1(first.signed.subarray(a - 10, a + 1))).toMatch(/\/Contents\s*<$/);
    expect(first.signed[b - 1]).toBe(0x3e);

    // The update continues the file's kind of xref, and the /Sig dictionary is a direct object there.
    expect(lastXref(first.signed)?.kind).toBe(originalXref?.kind);
    const sigObject = sigObjectIn(first.prepared);
    expect(xrefEntry(first.file, sigObject.objectNumber)).toBe(`uncompressed; offset = ${sigObject.offset}`);

    const check1 = qpdfCheck(first.file);
    expect(check1.output).not.toMatch(/WARNING/i);
    expect(check1.output).toContain('No syntax or stream encoding errors found');
    expect(check1.status).toBe(0);

    const report1 = pdfsig(first.file, pki.nssDbSpec);
    expect(report1).toHaveLength(existing + 1);
    const ours1 = report1.at(-1);
    expect(ours1).toMatchObject({
      field: names[0],
      type: 'ETSI.CAdES.detached',
      signatureValidation: 'Signature is Valid.',
      certificateValidation: 'Certificate is Trusted.',
      totalDocumentSigned: true,
    });
    for (const earlier of report1.slice(0, -1)) expect(earlier.signatureValidation).toBe('Signature is Valid.');

    // Second signature (invisible) over the signed file.
    const second = await sign(agency, first.signed, { reservedSize: 8192, reason: 'Đóng dấu', name: 'Văn thư' });
    expect(second.prepared.fieldName).toBe(names[1]);
    expect(Buffer.compare(second.signed.subarray(0, first.signed.length), first.signed)).toBe(0);
    expect(qpdfCheck(second.file).status).toBe(0);
    const report2 = pdfsig(second.file, pki.nssDbSpec);
    expect(report2).toHaveLength(existing + 2);
    for (const signature of report2) expect(signature.signatureValidation).toBe('Signature is Valid.');
    expect(report2.at(-2)).toMatchObject({ field: names[0], totalDocumentSigned: false, certificateValidation: 'Certificate is Trusted.' });
    expect(report2.at(-1)).toMatchObject({ field: names[1], totalDocumentSigned: true, certificateValidation: 'Certificate is Trusted.' });
  });
});

describe('a changed byte is caught', () => {
  it('pdfsig rejects the signature when one signed byte changes after embedding', async () => {
    const { prepared, signed } = await sign(leader, fixture('classic-xref.pdf'), { reservedSize: 8192 });
    const tampered = new Uint8Array(signed);
    // A byte of the page content stream ("Trang 1" -> "Trang 2"), inside the first signed range.
    const at = latin1(tampered).indexOf('Trang 1');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(prepared.byteRange[1]);
    tampered[at + 6] = 0x32;
    const [report] = pdfsig(writeTemp('tampered.pdf', tampered), pki.nssDbSpec);
    expect(report?.signatureValidation).not.toBe('Signature is Valid.');
  });
});
