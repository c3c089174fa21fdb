// Revocation data inside the signature (adbe-revocationInfoArchival, as Acrobat writes it): used offline like a DSS's, before any network.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextTag, encode, sequence } from '../../../../src/core/cms/der.js';
import { OID } from '../../../../src/core/cms/oids.js';
import { attribute } from '../../../../src/core/cms/signed-attributes.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { archivedRevocation, REVOCATION_INFO_ARCHIVAL } from '../../../../src/core/validation/revocation-archival.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { algorithm, issueSoftKey, signPdfWith, softCms, type SoftKey } from '../../../kit/soft-cms.js';

const pki = usePki();
let trust: TrustStore;
let key: SoftKey;
const files = new Map<string, Uint8Array>();

const signWith = (extra: Uint8Array[]) => (signed: Uint8Array) =>
  softCms(signed, { key, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, extraSignedAttributes: extra });

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  // Its certificate names the sub-CA's CRL, which the archival attribute carries.
  key = issueSoftKey(pki, 'Đỗ Thị Hoa', { rsa: 2048 });
  const crl = new Uint8Array(readFileSync(pki.crlDer));
  const archival = attribute(REVOCATION_INFO_ARCHIVAL, sequence(encode(contextTag(0), sequence(crl))));
  const pdf = fixture('classic-xref.pdf');
  files.set('revocation-info-archival.pdf', await signPdfWith(pdf, signWith([archival])));
  files.set('revocation-info-archival-empty.pdf', await signPdfWith(pdf, signWith([attribute(REVOCATION_INFO_ARCHIVAL, sequence())])));
  files.set('no-revocation-data.pdf', await signPdfWith(pdf, signWith([])));
}, 60_000);

describe('adbe-revocationInfoArchival', () => {
  it('reads the CRLs out of the signer\'s signed attributes', () => {
    const file = files.get('revocation-info-archival.pdf')!;
    const start = Buffer.from(file).indexOf('/Contents <') + '/Contents <'.length;
    const end = Buffer.from(file).indexOf('>', start);
    const archived = archivedRevocation(new Uint8Array(Buffer.from(Buffer.from(file).subarray(start, end).toString('latin1'), 'hex')));
    expect(archived?.crls).toHaveLength(1);
    expect(Buffer.from(archived!.crls[0]!).equals(readFileSync(pki.crlDer))).toBe(true);
    expect(archived?.ocspResponses).toEqual([]);
  });

  it('settles revocation offline from the signature itself', async () => {
    const report = await validatePdf(files.get('revocation-info-archival.pdf')!, { trust, online: false });
    const signature = report.signatures[0]!;
    expect(signature.revocation).toMatchObject({ status: 'good', source: 'crl' });
    expect(signature.findings.map((f) => f.code)).not.toContain('REVOCATION_UNKNOWN');
    expect(report.verdict).toBe('valid');
  });

  it('without archived data (none, or an empty attribute) offline revocation stays unknown', async () => {
    for (const name of ['no-revocation-data.pdf', 'revocation-info-archival-empty.pdf']) {
      const report = await validatePdf(files.get(name)!, { trust, online: false });
      expect(report.signatures[0]!.revocation.status, name).toBe('unknown');
      expect(report.signatures[0]!.findings.map((f) => f.code), name).toContain('REVOCATION_UNKNOWN');
    }
  });
});
