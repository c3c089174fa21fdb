// Signatures in algorithms tokens rarely use (plain ECDSA on brainpool, PSS, SHA-1) and with damaged parts: each a file made by the kit, named after its class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChildren, readWhole } from '../../../../src/core/cms/der.js';
import { OID } from '../../../../src/core/cms/oids.js';
import { appendDss } from '../../../../src/core/pdf/index.js';
import { addDocumentTimestamp } from '../../../../src/core/signing/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import type { SignatureReport } from '../../../../src/shared/validation.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { algorithm, issueSoftKey, pssAlgorithm, signPdfWith, softCms, type SoftKey } from '../../../kit/soft-cms.js';

const pki = usePki();
let trust: TrustStore;
let tsa: FakeTsa;
let brainpool: SoftKey;
let rsa: SoftKey;
let sha1Issued: SoftKey;
const files = new Map<string, Uint8Array>();

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  brainpool = issueSoftKey(pki, 'Trần Văn Bình', { curve: 'brainpoolP256r1' });
  rsa = issueSoftKey(pki, 'Lê Thị Cúc', { rsa: 2048 });
  sha1Issued = issueSoftKey(pki, 'Phạm Văn Dũng', { rsa: 2048 }, 'sha1');
  const pdf = fixture('classic-xref.pdf');
  const make = async (name: string, build: (signed: Uint8Array) => Uint8Array) => files.set(name, await signPdfWith(pdf, build));
  await make('ecdsa-plain-brainpoolP256r1.pdf', (s) => softCms(s, { key: brainpool, hash: 'sha256', signatureAlgorithm: algorithm(OID.ecdsaPlainSha256), signing: { dsaEncoding: 'ieee-p1363' } }));
  await make('ecdsa-der-brainpoolP256r1.pdf', (s) => softCms(s, { key: brainpool, hash: 'sha256', signatureAlgorithm: algorithm(OID.ecdsaWithSha256), signing: { dsaEncoding: 'der' } }));
  await make('rsassa-pss-sha384-salt48.pdf', (s) => softCms(s, { key: rsa, hash: 'sha384', signatureAlgorithm: pssAlgorithm('sha384', 48), signing: { padding: 'pss', saltLength: 48 } }));
  await make('rsa-sha1-digest.pdf', (s) => softCms(s, { key: rsa, hash: 'sha1', signatureAlgorithm: algorithm(OID.sha1WithRsa, true), signing: { padding: 'pkcs1' } }));
  await make('sha1-issued-certificate.pdf', (s) => softCms(s, { key: sha1Issued, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' } }));
  // GOST R 34.10-2001: an algorithm vanthu does not implement, with a signature value that verifies under nothing.
  await make('unsupported-signature-algorithm-gost.pdf', (s) => softCms(s, { key: rsa, hash: 'sha256', signatureAlgorithm: algorithm('1.2.643.2.2.3'), signing: { padding: 'pkcs1' } }));
  await make('detached-with-encapsulated-content.pdf', (s) => softCms(s, { key: rsa, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, encapsulate: new TextEncoder().encode('nội dung khác') }));
  const damagedCertificate = Uint8Array.of(0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x05); // a SEQUENCE that claims 256 bytes and holds 3
  await make('cms-certificate-set-damaged.pdf', (s) =>
    softCms(s, { key: rsa, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05), rsa.certificate, ...rsa.chain] }),
  );
  await make('signer-certificate-only-damaged.pdf', (s) =>
    softCms(s, { key: rsa, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)] }),
  );
  // The signer's certificate with its outer signatureAlgorithm re-tagged: issuer and serial still match the signer, OpenSSL cannot read it.
  const unreadable = Uint8Array.from(rsa.certificate);
  const [tbs] = readChildren(readWhole(unreadable));
  unreadable[tbs!.bytes.byteOffset - unreadable.byteOffset + tbs!.bytes.length] = 0x31;
  await make('signer-certificate-unparseable.pdf', (s) =>
    softCms(s, { key: rsa, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [unreadable, ...rsa.chain] }),
  );
  // Validation data whose certificate, OCSP response and CRL are all garbage ("PEM routines::no start line" crashed the report once).
  const signed = files.get('ecdsa-plain-brainpoolP256r1.pdf')!;
  files.set(
    'dss-entries-damaged.pdf',
    await appendDss(signed, [{ signatureContents: new TextEncoder().encode('x'), certificates: [damagedCertificate, new TextEncoder().encode('-----BEGIN nothing')], ocspResponses: [Uint8Array.of(0x30, 0x01)], crls: [Uint8Array.of(0x01, 0x02)] }]),
  );
  files.set('sha1-issued-certificate-document-timestamp.pdf', await addDocumentTimestamp(files.get('sha1-issued-certificate.pdf')!, { tsaUrl: tsa.url }));
}, 120_000);
afterAll(async () => {
  await tsa?.close();
});

const first = async (name: string): Promise<SignatureReport> => {
  const report = await validatePdf(files.get(name)!, { trust, online: true, revocationTimeoutMs: 5_000 });
  return report.signatures[0]!;
};
const codes = (s: SignatureReport): string[] => s.findings.map((f) => f.code);

describe('algorithms', () => {
  it('verifies BSI TR-03111 plain ECDSA on brainpoolP256r1, and DER ECDSA on the same curve', async () => {
    for (const name of ['ecdsa-plain-brainpoolP256r1.pdf', 'ecdsa-der-brainpoolP256r1.pdf']) {
      const s = await first(name);
      expect(s, `${name}: ${s.findings.map((f) => f.messageEn).join('; ')}`).toMatchObject({ indication: 'TOTAL-PASSED', verdict: 'valid', integrity: { digestMatches: true, signatureValid: true } });
      expect(s.revocation.status).toBe('good');
    }
  });

  it('verifies RSASSA-PSS with its parameters read (SHA-384, salt 48)', async () => {
    expect(await first('rsassa-pss-sha384-salt48.pdf')).toMatchObject({ indication: 'TOTAL-PASSED', integrity: { signatureValid: true } });
  });

  it('says an algorithm is not supported instead of "does not verify"', async () => {
    const s = await first('unsupported-signature-algorithm-gost.pdf');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE', verdict: 'indeterminate' });
    expect(codes(s)).toContain('ALGORITHM_UNSUPPORTED');
    expect(codes(s)).not.toContain('SIGNATURE_INVALID');
    expect(s.findings.find((f) => f.code === 'ALGORITHM_UNSUPPORTED')?.messageVi).toContain('thuật toán chưa hỗ trợ');
  });

  it('accepts SHA-1 only with the signing time proven, and says "thuật toán cũ (SHA-1)"', async () => {
    for (const name of ['rsa-sha1-digest.pdf', 'sha1-issued-certificate.pdf']) {
      const s = await first(name);
      expect(s, name).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
      expect(s.chain.legacySha1).toBe(true);
    }
    const report = await validatePdf(files.get('sha1-issued-certificate-document-timestamp.pdf')!, { trust, online: true, revocationTimeoutMs: 5_000 });
    const [signature, stamp] = report.signatures;
    expect(stamp?.kind).toBe('document-timestamp');
    expect(signature, signature?.findings.map((f) => f.messageEn).join('; ')).toMatchObject({ indication: 'TOTAL-PASSED', verdict: 'valid' });
    const note = signature!.findings.find((f) => f.code === 'LEGACY_SHA1');
    expect(note?.messageVi).toContain('thuật toán cũ (SHA-1)');
  });
});

describe('time', () => {
  it('leaves a signature of an expired certificate undecided without proof of when it was signed (OUT_OF_BOUNDS_NO_POE), and checks it at the proven time with one', async () => {
    const later = new Date(Date.now() + 40 * 24 * 3600_000); // the soft keys' certificates live 30 days
    const unproven = (await validatePdf(files.get('rsassa-pss-sha384-salt48.pdf')!, { trust, online: false, now: later })).signatures[0]!;
    expect(unproven).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    expect(unproven.findings.find((f) => f.code === 'CERTIFICATE_EXPIRED_NO_POE')?.messageVi).toMatch(/^Chứng thư số đã hết hạn lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} /);
    const proven = (await validatePdf(files.get('sha1-issued-certificate-document-timestamp.pdf')!, { trust, online: false, now: later })).signatures[0]!;
    expect(proven.chain.trusted).toBe(true);
    expect(proven.findings.map((f) => f.code)).not.toContain('CERTIFICATE_EXPIRED_NO_POE');
  });
});

describe('damaged parts are findings, never exceptions', () => {
  it('fails a detached signature that also carries encapsulated content (FORMAT_FAILURE)', async () => {
    const s = await first('detached-with-encapsulated-content.pdf');
    expect(s).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(codes(s)).toContain('DETACHED_WITH_CONTENT');
    // Everything else about it holds: only the format fails.
    expect(s.integrity).toMatchObject({ digestMatches: true, signatureValid: true });
  });

  it('skips a damaged certificate in the CMS set, says so, and still validates', async () => {
    const s = await first('cms-certificate-set-damaged.pdf');
    expect(s).toMatchObject({ indication: 'TOTAL-PASSED' });
    expect(codes(s)).toContain('EVIDENCE_UNREADABLE');
  });

  it('reports a signer certificate that cannot be read as NO_SIGNING_CERTIFICATE_FOUND', async () => {
    const s = await first('signer-certificate-only-damaged.pdf');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' });
  });

  it('reports a signer certificate OpenSSL cannot read ("PEM routines::no start line" aborted the report once) as a format failure', async () => {
    const report = await validatePdf(files.get('signer-certificate-unparseable.pdf')!, { trust, online: true, revocationTimeoutMs: 5_000 });
    const s = report.signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(codes(s)).not.toContain('ALGORITHM_UNSUPPORTED');
    expect(codes(s)).toContain('CERTIFICATE_UNREADABLE');
  });

  it('reports garbage DSS certificates, OCSP responses and CRLs on the signature and still validates it', async () => {
    const report = await validatePdf(files.get('dss-entries-damaged.pdf')!, { trust, online: true, revocationTimeoutMs: 5_000 });
    const s = report.signatures[0]!;
    expect(s, s.findings.map((f) => f.messageEn).join('; ')).toMatchObject({ indication: 'TOTAL-PASSED' });
    expect(codes(s)).toContain('EVIDENCE_UNREADABLE');
    // Offline, the damaged revocation data proves nothing: try later, no crash.
    const offline = await validatePdf(files.get('dss-entries-damaged.pdf')!, { trust, online: false });
    expect(offline.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });
});
