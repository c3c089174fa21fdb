import { execFileSync } from 'node:child_process';
import { PDFDocument, PDFName, type PDFRef, rgb } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture, pdfsig, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

// The whole PAdES path on real parts: SoftHSM keys, the loopback TSA and OCSP responder, and pdfsig/qpdf as outside judges.
const pki = usePki();
let trust: TrustStore;
let tsa: FakeTsa;


let leader: PdfSigningKey;
let leaderEc: PdfSigningKey;
let agency: PdfSigningKey;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  leaderEc = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-ec');
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
});
afterAll(async () => {
  await tsa?.close();
  await logoutAll();
  await finalizeAllModules();
});

const blueSignature = discPng(120, [20, 40, 200]);
const redSeal = discPng(110, [210, 20, 20]);

describe('signing with the token, then validating', () => {
  it('leader (B-B, visible) then agency seal (B-T): both valid for pdfsig and for vanthu', async () => {
    const original = fixture('object-streams.pdf');
    const first = await signPdf(original, leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: blueSignature }, reason: 'Phê duyệt văn bản' });
    expect(Buffer.from(first.bytes.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const second = await signPdf(first.bytes, agency, { level: 'B-T', tsaUrl: tsa.url, widget: { page: 1, rect: [330, 95, 70, 70], image: redSeal } });
    expect(second.timestampTime).toBeInstanceOf(Date);

    const file = writeTemp('signed-twice.pdf', second.bytes);
    expect(qpdfCheck(file).status).toBe(0);
    const judged = pdfsig(file, pki.nssDbSpec);
    expect(judged.map((s) => [s.signatureValidation, s.certificateValidation])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);

    const report = await validatePdf(second.bytes, { trust, online: true });
    expect(report.verdict).toBe('valid');
    const [leaderReport, agencyReport] = report.signatures;
    expect(leaderReport).toMatchObject({
      kind: 'signature',
      subFilter: 'ETSI.CAdES.detached',
      level: 'B-B',
      reason: 'Phê duyệt văn bản',
      integrity: { digestMatches: true, signatureValid: true, certificateBound: true },
      coverage: { byteRangeValid: true, coversWholeFile: false, laterRevisions: 1 },
      chain: { trusted: true, path: ['Nguyễn Thị Hồng Nhung', 'Test CA Chuyên dùng Chính phủ', 'Test Vietnam National Root CA'] },
      revocation: { status: 'good', source: 'ocsp' },
      verdict: 'valid',
    });
    expect(leaderReport?.modifications.disallowed).toEqual([]);
    expect(leaderReport?.modifications.allowed.join(' ')).toContain('signature added');
    expect(agencyReport).toMatchObject({
      level: 'B-T',
      signer: { subject: { commonName: 'UBND tỉnh Cao Bằng' } },
      timestamp: { valid: true, tsa: 'Test TSA Chuyên dùng Chính phủ' },
      coverage: { coversWholeFile: true, laterRevisions: 0 },
      verdict: 'valid',
    });
    expect(report.summaryVi).toBe('2 chữ ký: 2 hợp lệ, 0 không hợp lệ, 0 chưa xác định được.');
  });

  it('signs with the ECDSA key on every kind of file', async () => {
    for (const name of ['classic-xref.pdf', 'xref-stream.pdf', 'linearized.pdf', 'with-form.pdf', 'incrementally-updated.pdf', 'already-signed-by-other-tool.pdf']) {
      const signed = await signPdf(fixture(name), leaderEc, {});
      const report = await validatePdf(signed.bytes, { trust, online: true });
      const mine = report.signatures.at(-1);
      expect(mine?.verdict, name).toBe('valid');
      expect(mine?.signer?.publicKey.type, name).toBe('ec');
    }
  });

  it('finds a changed byte in the signed content', async () => {
    const signed = await signPdf(fixture('classic-xref.pdf'), leader, {});
    const tampered = new Uint8Array(signed.bytes);
    const at = Buffer.from(tampered).indexOf('So: 05');
    expect(at).toBeGreaterThan(0);
    tampered[at + 4] = '6'.charCodeAt(0);
    const report = await validatePdf(tampered, { trust, online: true });
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]?.findings.map((f) => f.code)).toContain('DIGEST_MISMATCH');
    expect(report.signatures[0]?.findings.find((f) => f.code === 'DIGEST_MISMATCH')?.messageVi).toContain('đã bị thay đổi sau khi ký');
  });

  it('flags content drawn on the page after signing, which pdfsig does not', async () => {
    const signed = await signPdf(fixture('classic-xref.pdf'), leader, {});
    const doc = await PDFDocument.load(signed.bytes, { forIncrementalUpdate: true, updateMetadata: false });
    const snapshot = doc.takeSnapshot();
    const page = doc.getPage(0);
    snapshot.markRefForSave(page.ref);
    page.drawText('SỬA ĐỔI', { x: 50, y: 50, size: 20, color: rgb(1, 0, 0) });
    const modified = await doc.saveIncremental(snapshot);
    const whole = new Uint8Array([...signed.bytes, ...modified]);
    const report = await validatePdf(whole, { trust, online: true });
    expect(report.verdict).toBe('invalid');
    const first = report.signatures[0]!;
    expect(first.modifications.disallowed.join('; ')).toMatch(/content|Contents|Resources/);
    expect(first.findings.map((f) => f.code)).toContain('MODIFIED_AFTER_SIGNING');
  });

  it('flags a page added after signing', async () => {
    const signed = await signPdf(fixture('classic-xref.pdf'), leader, {});
    const doc = await PDFDocument.load(signed.bytes, { forIncrementalUpdate: true, updateMetadata: false });
    const snapshot = doc.takeSnapshot();
    doc.addPage();
    // pdf-lib tracks only the new page: the page tree must be saved too for the page to exist.
    snapshot.markRefForSave(doc.catalog.get(PDFName.of('Pages')) as PDFRef);
    const whole = new Uint8Array([...signed.bytes, ...(await doc.saveIncremental(snapshot))]);
    expect(execFileSync('pdfinfo', [writeTemp('page-added.pdf', whole)], { encoding: 'utf8' })).toMatch(/Pages:\s+3/);
    const report = await validatePdf(whole, { trust, online: true });
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(report.signatures[0]?.modifications.disallowed.join('; ')).toContain('pages added');
  });

  it('says a revoked certificate is revoked: failed once a timestamp proves it signed after the revocation, undecided without one', async () => {
    const revoked = await tokenSigningKey(pki, 'VANTHU REVOKED', 'revoked-rsa');
    const stamped = await signPdf(fixture('classic-xref.pdf'), revoked, { level: 'B-T', tsaUrl: tsa.url });
    const report = await validatePdf(stamped.bytes, { trust, online: true });
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(report.signatures[0]?.revocation.status).toBe('revoked');
    expect(report.signatures[0]?.findings.map((f) => f.code)).toContain('CERTIFICATE_REVOKED');
    // EN 319 102-1: with nothing proving when it was signed, the signature may predate the revocation.
    const unproven = await validatePdf((await signPdf(fixture('classic-xref.pdf'), revoked, {})).bytes, { trust, online: true });
    expect(unproven.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', verdict: 'indeterminate' });
  });

  it('cannot vouch for a signer outside the trusted roots, or offline without revocation data', async () => {
    const signed = await signPdf(fixture('classic-xref.pdf'), leader, {});
    const untrusted = await validatePdf(signed.bytes, { trust: { roots: [] }, online: true });
    expect(untrusted.verdict).toBe('indeterminate');
    expect(untrusted.signatures[0]?.findings.map((f) => f.code)).toContain('CHAIN_UNTRUSTED');
    expect(untrusted.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    const offline = await validatePdf(signed.bytes, { trust, online: false });
    expect(offline.verdict).toBe('indeterminate');
    expect(offline.signatures[0]?.findings.map((f) => f.code)).toEqual(['REVOCATION_UNKNOWN']);
    expect(offline.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('reports unsigned and unreadable files', async () => {
    expect((await validatePdf(fixture('classic-xref.pdf'), { trust })).verdict).toBe('unsigned');
    const garbage = await validatePdf(new TextEncoder().encode('not a pdf at all'), { trust });
    expect(garbage.verdict).toBe('invalid');
    expect(garbage.findings[0]?.code).toBe('NOT_A_PDF');
  });
});
