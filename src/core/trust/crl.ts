// CRL (RFC 5280): judges whether a certificate revocation list is the issuer's, signed by it, current, and lists the certificate.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { derKey, remember } from '../x509/parse-cache.js';
import { copyBytes, equalBytes, integerHex } from './bytes.js';
import type { TrustCertificate } from './certificate.js';
import { dateText, problem, type EvidenceSource } from './problems.js';
import { coversTime, reasonName, type Verdict } from './revocation-reasons.js';
import { verifySignature } from './signature.js';

const EXT = {
  AUTHORITY_KEY_ID: '2.5.29.35',
  DELTA_CRL_INDICATOR: '2.5.29.27',
  REASON_CODE: '2.5.29.21',
} as const;

function reasonOf(entry: pkijs.RevokedCertificate): string | undefined {
  const extension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === EXT.REASON_CODE);
  if (!extension) return undefined;
  const value = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result;
  return value instanceof asn1js.Enumerated ? reasonName(value.valueBlock.valueDec) : undefined;
}

function authorityKeyIdOf(crl: pkijs.CertificateRevocationList): Uint8Array | undefined {
  const parsed = crl.crlExtensions?.extensions.find((e) => e.extnID === EXT.AUTHORITY_KEY_ID)?.parsedValue;
  return parsed instanceof pkijs.AuthorityKeyIdentifier ? parsed.keyIdentifier?.valueBlock.valueHexView : undefined;
}

function parseCrl(der: Uint8Array): { crl: pkijs.CertificateRevocationList } | { error: string } {
  try {
    return { crl: pkijs.CertificateRevocationList.fromBER(copyBytes(der)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** What a CRL (DER) says about `cert` at `at`; 'unrelated' when another CA (or another key of it) issued it. */
export function judgeCrl(der: Uint8Array, cert: TrustCertificate, issuer: TrustCertificate, at: Date, source: EvidenceSource): Verdict {
  const bad = (detail: string): Verdict => ({ kind: 'unusable', problem: problem('TRUST_CRL_BAD', { ...source, detail }) });
  const key = derKey('crl', der);
  const parsed = remember(key, () => parseCrl(der));
  if ('error' in parsed) return bad(parsed.error);
  const { crl } = parsed;
  if (!equalBytes(new Uint8Array(crl.issuer.valueBeforeDecode), cert.issuerDer)) return { kind: 'unrelated' };
  const keyId = authorityKeyIdOf(crl);
  if (keyId && issuer.subjectKeyId && !equalBytes(keyId, issuer.subjectKeyId)) return { kind: 'unrelated' };

  // A long CRL is verified once per issuer key, however many certificates of the file look it up.
  const signed = remember(`${key}:signature:${issuer.fingerprint}`, () =>
    verifySignature(crl.signatureAlgorithm, crl.tbsView, crl.signatureValue.valueBlock.valueHexView, issuer.publicKey),
  );
  if (!signed) {
    return { kind: 'unusable', problem: problem('TRUST_CRL_SIGNATURE_INVALID', source) };
  }
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) return bad(`"${issuer.name}" may not sign CRLs (no cRLSign)`);
  // A delta CRL only lists changes since a base CRL: "not listed" in it proves nothing.
  if (crl.crlExtensions?.extensions.some((e) => e.extnID === EXT.DELTA_CRL_INDICATOR)) return bad('delta CRLs are not supported');

  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value;
  const serial = integerHex(cert.serial);
  // Indexed by serial once per CRL: a national CA's list holds tens of thousands of entries.
  const entries = remember(`${key}:entries`, () => {
    const bySerial = new Map<string, pkijs.RevokedCertificate>();
    for (const e of crl.revokedCertificates ?? []) {
      const id = integerHex(e.userCertificate.valueBlock.valueHexView);
      if (!bySerial.has(id)) bySerial.set(id, e);
    }
    return bySerial;
  });
  const entry = entries.get(serial);
  if (entry) {
    const revokedAt = entry.revocationDate.value;
    const reason = reasonOf(entry);
    if (revokedAt <= at) return { kind: 'status', status: 'revoked', revokedAt, reason, producedAt: thisUpdate };
    if (coversTime(thisUpdate, nextUpdate, at)) return { kind: 'status', status: 'good', revokedAt, reason, producedAt: thisUpdate };
  } else if (coversTime(thisUpdate, nextUpdate, at)) {
    return { kind: 'status', status: 'good', producedAt: thisUpdate };
  }
  return {
    kind: 'unusable',
    problem: problem('TRUST_CRL_STALE', { ...source, thisUpdate: dateText(thisUpdate), nextUpdate: nextUpdate ? dateText(nextUpdate) : '-' }),
  };
}
