// The CRL reader against a full pkijs parse of the test PKI's CRLs: issuer, times, signature, key id, and each listed serial's date and reason.
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { readCertificateList } from '../../../../src/core/trust/certificate-list.js';
import { readTime } from '../../../../src/core/trust/der-time.js';
import { readElement } from '../../../../src/core/cms/der.js';
import { usePki } from '../../../kit/pki.js';

const hex = (bytes: ArrayBuffer | Uint8Array | undefined): string | undefined => (bytes ? Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex') : undefined);

describe('readCertificateList', () => {
  const pki = usePki() as ReturnType<typeof usePki> & { rootCrlDer: string };

  it("reads the sub-CA's and the root's CRLs as pkijs does, with every revoked serial's date and reason", () => {
    for (const file of [pki.crlDer, pki.rootCrlDer]) {
      const der = new Uint8Array(readFileSync(file));
      const reference = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
      const crl = readCertificateList(der);
      const aki = reference.crlExtensions?.extensions.find((e) => e.extnID === '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
      expect({
        tbs: hex(crl.tbs),
        signature: hex(crl.signature),
        algorithm: crl.signatureAlgorithm.algorithmId,
        issuer: hex(crl.issuerDer),
        thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate?.toISOString(),
        aki: hex(crl.authorityKeyId),
      }).toEqual({
        tbs: hex(reference.tbsView),
        signature: hex(reference.signatureValue.valueBlock.valueHexView),
        algorithm: reference.signatureAlgorithm.algorithmId,
        issuer: hex(reference.issuer.valueBeforeDecode),
        thisUpdate: reference.thisUpdate.value.toISOString(),
        nextUpdate: reference.nextUpdate?.value.toISOString(),
        aki: hex(aki?.keyIdentifier?.valueBlock.valueHexView),
      });
      for (const entry of reference.revokedCertificates ?? []) {
        const reasonExtension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
        const reason = reasonExtension ? (asn1js.fromBER(reasonExtension.extnValue.valueBlock.valueHexView).result as asn1js.Enumerated).valueBlock.valueDec : undefined;
        expect(crl.entry(entry.userCertificate.valueBlock.valueHexView)).toEqual({ revokedAt: entry.revocationDate.value, reason });
      }
    }
    const sub = readCertificateList(new Uint8Array(readFileSync(pki.crlDer)));
    // The revoked test certificate is listed with keyCompromise (1); an unlisted serial is not.
    expect(sub.entry(Buffer.from(pki.revoked.certSerial.padStart(2, '0'), 'hex'))).toMatchObject({ reason: 1 });
    expect(sub.entry(Uint8Array.of(0x7f, 0x7f, 0x7f))).toBeUndefined();
  });

  it('throws for bytes that are not a CRL', () => {
    expect(() => readCertificateList(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toThrow();
  });

  it('reads UTCTime with the RFC 5280 century rule and GeneralizedTime with fractions', () => {
    const time = (tag: number, text: string) => readTime(readElement(Uint8Array.of(tag, text.length, ...Buffer.from(text, 'latin1'))), 'time');
    expect(time(0x17, '491231235959Z').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(time(0x17, '500101000000Z').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(time(0x18, '20261207020304.5Z').toISOString()).toBe('2026-12-07T02:03:04.500Z');
    expect(() => time(0x17, '491231235959+0700')).toThrow();
    expect(() => time(0x02, '491231235959Z')).toThrow();
  });
});
