// Public face of the local signing service (VGCA Sign Service compatible) for the app and `vanthu serve-local`.
export { startLocalService, type LocalService, type LocalServiceOptions, type ServiceLogEntry, type SignedRecord, type SigningPreview } from './service.js';
export { OriginPolicy, normalOrigin, type OriginDecision, type OriginPolicyOptions } from './origin-policy.js';
export { ensureTlsMaterial, type TlsMaterial } from './tls-material.js';
export {
  macFindCommand,
  macLoginKeychain,
  macTrustCommand,
  macVerifyCommand,
  runTrustCommand,
  TrustToolMissingError,
  userTrustStore,
  windowsTrustCommand,
  windowsVerifyCommand,
  type CommandRunner,
  type TrustCommand,
  type UserTrustStore,
  type UserTrustStoreKind,
} from './os-trust.js';
export { chromiumNssDb, firefoxNssDbs, isCaTrustedInNssDb, trustCaInNssDb, LOCAL_CA_NICKNAME, NssTrustError } from './nss-trust.js';
export { cancelled, OPERATIONS, ServiceFailure, STATUS, type Operation, type ServiceAnswer, type ServiceRequest } from './protocol.js';
export type { SigningIdentity } from './pdf-flows.js';
export type { CaTrustState } from './status-page.js';
export const DEFAULT_LOCAL_SERVICE_PORT = 8987;
