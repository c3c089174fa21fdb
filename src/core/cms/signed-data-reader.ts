// Reads a CMS ContentInfo holding SignedData into its parts, keeping every part's exact bytes for splicing and checking.
import { DerError, TAG, contextTag, expectTag, readChildren, readElement, readOid, readSmallInteger, readWhole, type DerElement } from './der.js';
import { berToDer } from './ber.js';
import { OID } from './oids.js';

export interface CmsAttribute {
  type: string;
  values: DerElement[];
  /** The whole Attribute TLV. */
  element: DerElement;
}

export interface SignerInfoParts {
  element: DerElement;
  /** Every child TLV of the SignerInfo, in order. */
  fields: DerElement[];
  version: number;
  sid: DerElement;
  digestAlgorithm: DerElement;
  /** The [0] IMPLICIT signedAttrs TLV as stored; the signature covers it with the tag changed to SET. */
  signedAttrs: DerElement | undefined;
  signedAttributes: CmsAttribute[];
  signatureAlgorithm: DerElement;
  signature: Uint8Array;
  unsignedAttrs: DerElement | undefined;
  unsignedAttributes: CmsAttribute[];
}

export interface SignedDataParts {
  contentInfo: DerElement;
  /** The ContentInfo's contentType OID TLV. */
  contentType: DerElement;
  /** The SignedData SEQUENCE inside the ContentInfo's [0]. */
  signedData: DerElement;
  /** Every child TLV of SignedData, in order. */
  fields: DerElement[];
  eContentType: string;
  /** The encapsulated content, absent for a detached signature. */
  eContent: Uint8Array | undefined;
  certificates: Uint8Array[];
  signerInfosField: DerElement;
  signerInfos: SignerInfoParts[];
}

function readAttributes(set: DerElement): CmsAttribute[] {
  return readChildren(set).map((element) => {
    const [type, values] = readChildren(expectTag(element, TAG.SEQUENCE, 'Attribute'));
    return { type: readOid(type, 'attrType'), values: readChildren(expectTag(values, TAG.SET, 'attrValues')), element };
  });
}

function readSignerInfo(element: DerElement): SignerInfoParts {
  const fields = readChildren(expectTag(element, TAG.SEQUENCE, 'SignerInfo'));
  const [version, sid, digestAlgorithm] = fields;
  let index = 3;
  const signedAttrs = fields[index]?.tag === contextTag(0) ? fields[index++] : undefined;
  const signatureAlgorithm = expectTag(fields[index++], TAG.SEQUENCE, 'signatureAlgorithm');
  const signature = expectTag(fields[index++], TAG.OCTET_STRING, 'signature').content;
  const unsignedAttrs = fields[index]?.tag === contextTag(1) ? fields[index] : undefined;
  if (!sid) throw new DerError('SignerInfo has no sid');
  return {
    element,
    fields,
    version: readSmallInteger(expectTag(version, TAG.INTEGER, 'SignerInfo version')),
    sid,
    digestAlgorithm: expectTag(digestAlgorithm, TAG.SEQUENCE, 'digestAlgorithm'),
    signedAttrs,
    signedAttributes: signedAttrs ? readAttributes(signedAttrs) : [],
    signatureAlgorithm,
    signature,
    unsignedAttrs,
    unsignedAttributes: unsignedAttrs ? readAttributes(unsignedAttrs) : [],
  };
}

/** Parses DER CMS SignedData; throws DerError on anything malformed or not SignedData. */
export function readSignedData(input: Uint8Array): SignedDataParts {
  // Other signers (NSS, some CAs' tools) write BER; read it as the DER it stands for.
  let der = input;
  try {
    readWhole(input);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    der = berToDer(input);
  }
  const contentInfo = expectTag(readWhole(der), TAG.SEQUENCE, 'ContentInfo');
  const [contentType, explicitContent] = readChildren(contentInfo);
  if (readOid(contentType, 'contentType') !== OID.signedData) throw new DerError('ContentInfo does not hold SignedData');
  const signedData = expectTag(readElement(expectTag(explicitContent, contextTag(0), 'content').content), TAG.SEQUENCE, 'SignedData');
  const fields = readChildren(signedData);
  const [encap] = fields.slice(2);
  const [eContentTypeField, eContentField] = readChildren(expectTag(encap, TAG.SEQUENCE, 'encapContentInfo'));
  const eContent = eContentField
    ? expectTag(readElement(expectTag(eContentField, contextTag(0), 'eContent').content), TAG.OCTET_STRING, 'eContent').content
    : undefined;
  const certificatesField = fields.find((field, i) => i > 2 && field.tag === contextTag(0));
  const signerInfosField = expectTag(fields[fields.length - 1], TAG.SET, 'signerInfos');
  return {
    contentInfo,
    contentType: expectTag(contentType, TAG.OID, 'contentType'),
    signedData,
    fields,
    eContentType: readOid(eContentTypeField, 'eContentType'),
    eContent,
    // Only X.509 certificates (SEQUENCE); other CertificateChoices are tagged and skipped.
    certificates: certificatesField ? readChildren(certificatesField).filter((c) => c.tag === TAG.SEQUENCE).map((c) => c.bytes) : [],
    signerInfosField,
    signerInfos: readChildren(signerInfosField).map(readSignerInfo),
  };
}

/** The bytes a SignerInfo's signature covers: its signed attributes re-tagged as a SET (RFC 5652 5.4). */
export function signedAttributesToVerify(signerInfo: SignerInfoParts): Uint8Array {
  if (!signerInfo.signedAttrs) throw new DerError('SignerInfo has no signed attributes');
  const bytes = Uint8Array.from(signerInfo.signedAttrs.bytes);
  bytes[0] = TAG.SET;
  return bytes;
}

export const findAttribute = (attributes: CmsAttribute[], type: string): CmsAttribute | undefined =>
  attributes.find((attribute) => attribute.type === type);
