// Revocation data a signer put inside its CMS (Adobe's adbe-revocationInfoArchival signed attribute): CRLs and OCSP responses, used like a DSS's.
import { findAttribute, readSignedData } from '../cms/signed-data-reader.js';
import { TAG, contextTag, readChildren, type DerElement } from '../cms/der.js';
import { copyBytes } from '../trust/bytes.js';
import { trimPadding } from './cms-check.js';

/** 1.2.840.113583.1.1.8 (PDF 1.6 reference, 12.8.3.3.2): RevocationInfoArchival ::= SEQUENCE { crl [0], ocsp [1], otherRevInfo [2] }. */
export const REVOCATION_INFO_ARCHIVAL = '1.2.840.113583.1.1.8';

/** The attribute's OID as DER (06 09 …): a CMS without these bytes cannot carry it, and is not parsed for it. */
const ARCHIVAL_OID_DER = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x2f, 0x01, 0x01, 0x08]);

export interface ArchivedRevocation {
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
}

/** The elements of `[tag] EXPLICIT SEQUENCE OF X` as their own DER. */
function listUnder(archival: DerElement, tag: number): Uint8Array[] {
  const tagged = readChildren(archival).find((child) => child.tag === contextTag(tag));
  const list = tagged ? readChildren(tagged)[0] : undefined;
  if (list?.tag !== TAG.SEQUENCE) return [];
  return readChildren(list).map((item) => copyBytes(item.bytes));
}

/**
 * What the first signer's adbe-revocationInfoArchival holds; undefined when it has none or the CMS is unreadable.
 * Read with the DER reader the CMS check uses, after a byte search for the attribute's OID: most signatures carry
 * none, and parsing every certificate of the CMS again (as pkijs did) was most of a file's verification time.
 */
export function archivedRevocation(contents: Uint8Array): ArchivedRevocation | undefined {
  try {
    const cms = trimPadding(contents);
    if (Buffer.from(cms.buffer, cms.byteOffset, cms.length).indexOf(ARCHIVAL_OID_DER) < 0) return undefined;
    const attribute = findAttribute(readSignedData(cms).signerInfos[0]?.signedAttributes ?? [], REVOCATION_INFO_ARCHIVAL);
    const value = attribute?.values[0];
    if (value?.tag !== TAG.SEQUENCE) return undefined;
    const archived = { crls: listUnder(value, 0), ocspResponses: listUnder(value, 1) };
    return archived.crls.length + archived.ocspResponses.length > 0 ? archived : undefined;
  } catch {
    return undefined;
  }
}
