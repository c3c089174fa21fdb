import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignedData } from '../../../../src/core/cms/index.js';
import { certificateId, issuerAndSerialNumber } from '../../../../src/core/cms/certificate-id.js';
import { contextTag, encode, readChildren, sequence, setOf } from '../../../../src/core/cms/der.js';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { checkByteRange } from '../../../../src/core/validation/byte-range.js';
import { trimPadding } from '../../../../src/core/validation/cms-check.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { tokenNamed, usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

// The certificate substitution attack: sid and certificates are unsigned, so an attacker can swap in another
// certificate for the same key; only the signed signingCertificateV2 still names the real signer.
const pki = usePki();
let trust: TrustStore;
let leader: PdfSigningKey;
beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

/** A certificate from the same sub-CA for the leader's own public key, under another name. */
function impostorCertificate(): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-impostor-'));
  const leaderPem = tokenNamed(pki, 'VANTHU LEADER').objects[0]!.certPem;
  execFileSync('openssl', ['x509', '-in', leaderPem, '-pubkey', '-noout', '-out', path.join(dir, 'pub.pem')]);
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-keyout', path.join(dir, 'throwaway.key'), '-subj', '/CN=Kẻ Mạo Danh/O=UBND tỉnh Cao Bằng', '-out', path.join(dir, 'req.csr')], { stdio: 'ignore' });
  writeFileSync(path.join(dir, 'ext.cnf'), '[v3]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  execFileSync('openssl', [
    'x509', '-req', '-in', path.join(dir, 'req.csr'), '-CA', pki.subCaPem, '-CAkey', path.join(pki.outDir, 'ca', 'subca.key'),
    '-force_pubkey', path.join(dir, 'pub.pem'), '-set_serial', '0x7eadbeef01', '-days', '30', '-sha256',
    '-extfile', path.join(dir, 'ext.cnf'), '-extensions', 'v3', '-outform', 'DER', '-out', path.join(dir, 'impostor.der'),
  ], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(path.join(dir, 'impostor.der')));
}

/** The same CMS with the signer's certificate and sid swapped for `impostor`; the signed attributes untouched. */
function swapSigner(cms: Uint8Array, impostor: Uint8Array): Uint8Array {
  const parts = readSignedData(cms);
  const [info] = parts.signerInfos;
  const [version, , ...rest] = info!.fields;
  const signerInfo = sequence(version!.bytes, issuerAndSerialNumber(certificateId(impostor)), ...rest.map((f) => f.bytes));
  const [sdVersion, digestAlgorithms, encap] = parts.fields;
  const others = parts.certificates.slice(1);
  const signedData = sequence(sdVersion!.bytes, digestAlgorithms!.bytes, encap!.bytes, encode(contextTag(0), impostor, ...others), setOf(signerInfo));
  return sequence(readChildren(parts.contentInfo)[0]!.bytes, encode(contextTag(0), signedData));
}

describe('signingCertificateV2 binds the signature to its certificate', () => {
  it('catches a certificate swapped in for the same key, although the signature value still verifies', async () => {
    const signed = await signPdf(fixture('classic-xref.pdf'), leader, {});
    const byteRange = (await validatePdf(signed.bytes, { trust, online: true })).signatures[0]!.coverage.byteRange;
    const forged = swapSigner(trimPadding(checkByteRange(signed.bytes, byteRange).contents), impostorCertificate());
    const [, a, b] = byteRange as [number, number, number, number];
    const hex = Buffer.from(forged).toString('hex').toUpperCase().padEnd(b - a - 2, '0');
    expect(hex.length).toBe(b - a - 2);
    const attacked = Buffer.from(signed.bytes);
    attacked.write(hex, a + 1, 'latin1');

    const report = await validatePdf(attacked, { trust, online: true });
    const [signature] = report.signatures;
    expect(signature?.signer?.subject.commonName).toBe('Kẻ Mạo Danh');
    expect(signature?.integrity).toEqual({ digestMatches: true, signatureValid: true, certificateBound: false });
    expect(signature?.findings.map((f) => f.code)).toContain('CERTIFICATE_NOT_BOUND');
    expect(signature?.verdict).toBe('invalid');
  });
});

