// Lists every token and certificate across the given (or all installed) modules, each module's failure reported, not thrown.
import { isVanthuError } from '../../shared/errors.js';
import type { TokenCertificate, TokenDescriptor } from '../../shared/token.js';
import { listModuleCandidates } from './module-registry.js';
import { loadModule } from './pkcs11-module.js';
import { listSlotTokens } from './token-info.js';
import { TokenSession } from './token-session.js';

export interface ModuleReport {
  path: string;
  vendor: string;
  loaded: boolean;
  /** Why the module could not be used, in both languages. */
  error?: { code: string; messageVi: string; messageEn: string };
  tokens: (TokenDescriptor & { certificates: TokenCertificate[] })[];
}

/** With explicit paths, reports on exactly those; otherwise on every known module installed here. */
export async function listTokens(modulePaths?: readonly string[], userPaths: readonly string[] = []): Promise<ModuleReport[]> {
  const targets = modulePaths?.length
    ? modulePaths.map((path) => ({ path, vendor: 'user' }))
    : (await listModuleCandidates({ userPaths })).filter((c) => c.present);
  const reports: ModuleReport[] = [];
  for (const { path, vendor } of targets) {
    try {
      const module = await loadModule(path);
      const tokens = [];
      for (const { token } of listSlotTokens(module)) {
        try {
          const session = await TokenSession.open(path, { serial: token.serial, label: token.label });
          tokens.push({ ...token, certificates: await session.certificates() });
        } catch (error) {
          // A token pulled out while we read it is simply not listed; the watcher reports the removal.
          if (!isVanthuError(error, 'TOKEN_REMOVED') && !isVanthuError(error, 'TOKEN_NOT_FOUND')) throw error;
        }
      }
      reports.push({ path, vendor, loaded: true, tokens });
    } catch (error) {
      if (!isVanthuError(error)) throw error;
      reports.push({ path, vendor, loaded: false, error: { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn }, tokens: [] });
    }
  }
  return reports;
}
