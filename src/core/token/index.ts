// Public face of token access: modules, tokens, certificates, login and the Signer.
export { assertModuleLoadable, parseBinaryHeader, type BinaryHeader } from './module-arch.js';
export { KNOWN_MODULES, listModuleCandidates, type ModuleCandidate } from './module-registry.js';
export { loadModule, finalizeAllModules, type LoadedModule } from './pkcs11-module.js';
export { listSlotTokens } from './token-info.js';
export { TokenSession, type TokenSelector } from './token-session.js';
export { TokenSigner, type Signer, type TokenSignerOptions } from './signer.js';
export { TokenWatcher } from './token-watcher.js';
export { listTokens, type ModuleReport } from './token-listing.js';
