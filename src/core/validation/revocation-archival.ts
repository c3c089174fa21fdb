// Revocation data a signer put inside its CMS (Adobe's adbe-revocationInfoArchival signed attribute): CRLs and OCSP responses, used like a DSS's.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { copyBytes } from '../trust/bytes.js';
import { trimPadding } from './cms-check.js';

/** 1.2.840.113583.1.1.8 (PDF 1.6 reference, 12.8.3.3.2): RevocationInfoArchival ::= SEQUENCE { crl [0], ocsp [1], otherRevInfo [2] }. */
export const REVOCATION_INFO_ARCHIVAL = '1.2.840.113583.1.1.8';

export interface ArchivedRevocation {
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
}

/** The elements of `[tag] EXPLICIT SEQUENCE OF X` as their own DER. */
function listUnder(archival: asn1js.Sequence, tag: number): Uint8Array[] {
  const tagged = archival.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === tag);
  const list = tagged instanceof asn1js.Constructed ? tagged.valueBlock.value[0] : undefined;
  if (!(list instanceof asn1js.Sequence)) return [];
  return list.valueBlock.value.map((item) => copyBytes(new Uint8Array(item.valueBeforeDecodeView)));
}

/** What the first signer's adbe-revocationInfoArchival holds; undefined when it has none or the CMS is unreadable. */
export function archivedRevocation(contents: Uint8Array): ArchivedRevocation | undefined {
  try {
    const info = pkijs.ContentInfo.fromBER(copyBytes(trimPadding(contents)));
    const signed = new pkijs.SignedData({ schema: info.content });
    const attribute = signed.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === REVOCATION_INFO_ARCHIVAL);
    const value: unknown = attribute?.values[0];
    if (!(value instanceof asn1js.Sequence)) return undefined;
    const archived = { crls: listUnder(value, 0), ocspResponses: listUnder(value, 1) };
    return archived.crls.length + archived.ocspResponses.length > 0 ? archived : undefined;
  } catch {
    return undefined;
  }
}
