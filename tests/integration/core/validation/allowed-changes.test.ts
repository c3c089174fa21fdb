// What may legitimately follow a signature — more signatures, the DSS, document timestamps, new document information — must keep it valid on every file structure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture, pdfsig, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { appendUpdate, changedDict, nextObjectNumber, reasons, tokenKey, valueOf, withRefs } from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let tsa: FakeTsa;
let leader: PdfSigningKey;
let agency: PdfSigningKey;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  agency = await tokenKey(pki, 'VANTHU AGENCY', 'agency-rsa', sessions);
});
afterAll(async () => {
  await tsa?.close();
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

const leaderSigns = async (pdf: Uint8Array): Promise<Uint8Array> =>
  (await signPdf(pdf, leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) } })).bytes;

describe('changes allowed after signing', () => {
  for (const name of ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf', 'linearized-object-streams.pdf', 'with-form.pdf', 'incrementally-updated.pdf']) {
    it(`a second signature (the agency seal) on ${name}`, async () => {
      const first = await leaderSigns(fixture(name));
      const second = (await signPdf(first, agency, { widget: { page: 1, rect: [330, 95, 70, 70], image: discPng(70, [210, 20, 20]) } })).bytes;
      const report = await validatePdf(second, { trust, online: true });
      expect(report.signatures.map((s) => [s.verdict, s.modifications.disallowed]), reasons(report)).toEqual([
        ['valid', []],
        ['valid', []],
      ]);
      expect(report.signatures[0]?.modifications.allowed).toContain('annotations: signature added');
    });
  }

  it('a DSS and a document timestamp (the agency signs at B-LTA after the leader)', async () => {
    const first = await leaderSigns(fixture('object-streams.pdf'));
    const sealed = await signPdf(first, agency, { level: 'B-LTA', tsaUrl: tsa.url, trust, widget: { page: 1, rect: [330, 95, 70, 70], image: discPng(70, [210, 20, 20]) } });
    expect(sealed.level).toBe('B-LTA');
    const file = writeTemp('b-lta-after-leader.pdf', sealed.bytes);
    expect(qpdfCheck(file).status).toBe(0);
    // pdfsig 22 checks the two signatures and lists the document timestamps (one bringing the leader's B-B
    // signature to B-T, one archiving the DSS) without verifying them: the validator does that below.
    const judged = pdfsig(file, pki.nssDbSpec);
    expect(judged.slice(0, 2).map((s) => [s.signatureValidation, s.certificateValidation])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);
    expect(judged.at(-1)?.totalDocumentSigned).toBe(true);
    const report = await validatePdf(sealed.bytes, { trust, online: false });
    expect(report.signatures.map((s) => [s.kind, s.level, s.verdict]), reasons(report)).toEqual([
      ['signature', 'B-LTA', 'valid'],
      ['signature', 'B-LTA', 'valid'],
      ['document-timestamp', 'unknown', 'valid'],
      ['document-timestamp', 'unknown', 'valid'],
    ]);
    for (const signature of report.signatures) expect(signature.modifications.disallowed).toEqual([]);
    expect(report.signatures[0]?.modifications.allowed).toEqual(expect.arrayContaining(['validation data (DSS) added']));
  });

  it('new document information (/Info title) in a later update', async () => {
    const signed = await leaderSigns(fixture('classic-xref.pdf'));
    const updated = await appendUpdate(signed, [{ number: 2, body: await changedDict(signed, 2, { Title: '(Van ban mau - da ky)', ModDate: "(D:20260101000000+07'00')" }) }]);
    const report = await validatePdf(updated, { trust, online: true });
    expect(report.verdict, reasons(report)).toBe('valid');
    expect(report.signatures[0]?.modifications.allowed).toContain('document information (Info) updated');
  });

  it('an empty, invisible signature field prepared for the next signer', async () => {
    const signed = await leaderSigns(fixture('classic-xref.pdf'));
    const n = await nextObjectNumber(signed);
    const form = Number(/^(\d+) 0 R$/.exec(await valueOf(signed, 1, 'AcroForm'))![1]);
    const prepared = await appendUpdate(signed, [
      { number: n, body: '<< /Type /Annot /Subtype /Widget /FT /Sig /T (ChoVanThu) /Rect [0 0 0 0] /F 132 /P 4 0 R >>' },
      { number: form, body: await changedDict(signed, form, { Fields: withRefs(await valueOf(signed, form, 'Fields'), n) }) },
      { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(await valueOf(signed, 4, 'Annots'), n) }) },
    ]);
    const report = await validatePdf(prepared, { trust, online: true });
    expect(report.verdict, reasons(report)).toBe('valid');
  });
});
