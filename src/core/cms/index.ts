// Public face of the CMS layer: PAdES SignedData, RFC 3161 timestamps, and the readers validation shares.
export { HASHES, hashBytes, digestAlgorithmIdentifier, signatureAlgorithmIdentifier } from './algorithms.js';
export { OID } from './oids.js';
export { attribute, buildSignedAttributes, type SignedAttributesInput } from './signed-attributes.js';
export { buildCmsSignedData, type CmsSignRequest } from './signed-data.js';
export { buildSigningCertificateV2, parseSigningCertificateV2, type EssCertIdV2 } from './signing-certificate-v2.js';
export { readSignedData, signedAttributesToVerify, findAttribute, type SignedDataParts, type SignerInfoParts, type CmsAttribute } from './signed-data-reader.js';
export { signatureVerifies, UnsupportedAlgorithmError } from './signature-check.js';
export { buildTimestampRequest, type TimestampRequest } from './timestamp-request.js';
export { acceptTimestampResponse, checkTokenSignature, readTimestampTokenInfo, readTstInfo, type Timestamp, type TstInfo } from './timestamp-response.js';
export { DEFAULT_TSA_TIMEOUT_MS, requestTimestamp, type TsaOptions } from './tsa-client.js';
export { addSignatureTimestamp, addUnsignedAttribute, signatureValueOf, timestampSignature } from './signature-timestamp.js';
