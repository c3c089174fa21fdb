// Known PKCS#11 modules of Vietnamese CAs (DOMAIN.md) per OS, plus OpenSC, SoftHSM and user-added paths.
import { access, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

export interface KnownModule {
  /** Who ships it: a Vietnamese CA, a token maker, or an open-source project. */
  vendor: string;
  /** File names per OS; searched in that OS's library folders unless absolute. */
  files: Partial<Record<'win32' | 'darwin' | 'linux', string[]>>;
}

/** Module file names from DOMAIN.md ("check per release": the user can add paths). */
export const KNOWN_MODULES: readonly KnownModule[] = [
  { vendor: 'VGCA (Ban Cơ yếu) – Bit4id', files: { win32: ['bit4xpki.dll'], darwin: ['libbit4xpki.dylib'], linux: ['libbit4xpki.so'] } },
  { vendor: 'VGCA (Ban Cơ yếu) – SafeNet', files: { win32: ['eTPKCS11.dll'], darwin: ['libeTPkcs11.dylib'], linux: ['libeTPkcs11.so'] } },
  { vendor: 'Viettel-CA', files: { win32: ['viettel-ca_v6.dll', 'viettel-ca_v5.dll', 'viettel-ca_v4.dll', 'viettel-ca_v2.dll'], darwin: ['viettel-ca_v6.dylib'] } },
  { vendor: 'VNPT-CA', files: { win32: ['vnptca_p11_v8.dll', 'vnpt-ca_csp11.dll'] } },
  { vendor: 'FPT-CA', files: { win32: ['fpt-ca_v5.dll', 'fpt-ca_v4.dll'], linux: ['/usr/lib/fptca_v4.so'] } },
  { vendor: 'BKAV-CA', files: { win32: ['BkavCA.dll', 'BkavCAv2S.dll', 'st3csp11.dll'] } },
  { vendor: 'ePass2003', files: { win32: ['eps2003csp11.dll'] } },
  { vendor: 'Shuttle', files: { win32: ['ShuttleCsp11_3003.dll'] } },
  { vendor: 'Vina-CA', files: { win32: ['vina-ca_v5.dll'] } },
  { vendor: 'NewCA', files: { win32: ['newca_v4.dll'] } },
  { vendor: 'EFY-CA', files: { win32: ['efy-ca_v1.dll'] } },
  { vendor: 'MISA-CA', files: { win32: ['misaca_csp11_v2.dll'] } },
  {
    vendor: 'OpenSC',
    files: { win32: ['opensc-pkcs11.dll'], darwin: ['opensc-pkcs11.so'], linux: ['opensc-pkcs11.so', 'pkcs11/opensc-pkcs11.so'] },
  },
  { vendor: 'SoftHSM (test tokens)', files: { darwin: ['softhsm/libsofthsm2.so'], linux: ['softhsm/libsofthsm2.so'] } },
];

/** Folders each OS keeps shared libraries in. */
export function librarySearchDirs(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'win32') {
    const root = env.SystemRoot ?? 'C:\\Windows';
    return [path.win32.join(root, 'System32'), path.win32.join(root, 'SysWOW64')];
  }
  if (platform === 'darwin') return ['/usr/local/lib', '/opt/homebrew/lib', '/Library/OpenSC/lib', '/usr/lib'];
  return ['/usr/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/local/lib', '/usr/lib64', '/lib'];
}

export interface ModuleCandidate {
  vendor: string;
  path: string;
  present: boolean;
  /** Added by the user in settings or on the command line rather than known to vanthu. */
  userAdded: boolean;
}

const exists = async (file: string): Promise<boolean> =>
  access(file, constants.R_OK).then(
    () => true,
    () => false,
  );

export interface RegistryOptions {
  platform?: NodeJS.Platform;
  userPaths?: readonly string[];
  searchDirs?: readonly string[];
}

/**
 * Every module vanthu knows for this OS and every user-added path, each with whether it is
 * installed. A known module present in several folders is listed once per place found.
 */
export async function listModuleCandidates(options: RegistryOptions = {}): Promise<ModuleCandidate[]> {
  const platform = options.platform ?? process.platform;
  const osKey = platform === 'win32' || platform === 'darwin' ? platform : 'linux';
  const dirs = options.searchDirs ?? librarySearchDirs(platform);
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const isAbsolute = platform === 'win32' ? path.win32.isAbsolute : path.posix.isAbsolute;

  const candidates: ModuleCandidate[] = [];
  const seen = new Set<string>();
  // Distros link one library from several folders (/usr/lib/softhsm -> /usr/lib/x86_64-linux-gnu/softhsm): list it once.
  const alreadyListed = async (file: string): Promise<boolean> => {
    const real = await realpath(file).catch(() => file);
    const listed = seen.has(file) || seen.has(real);
    seen.add(file);
    seen.add(real);
    return listed;
  };
  for (const userPath of options.userPaths ?? []) {
    if (await alreadyListed(userPath)) continue;
    candidates.push({ vendor: 'user', path: userPath, present: await exists(userPath), userAdded: true });
  }
  for (const known of KNOWN_MODULES) {
    for (const file of known.files[osKey] ?? []) {
      const places = isAbsolute(file) ? [file] : dirs.map((dir) => join(dir, file));
      let found = false;
      for (const place of places) {
        if (!(await exists(place))) continue;
        found = true;
        if (!(await alreadyListed(place))) candidates.push({ vendor: known.vendor, path: place, present: true, userAdded: false });
      }
      if (!found && places[0] !== undefined && !seen.has(places[0])) {
        seen.add(places[0]);
        candidates.push({ vendor: known.vendor, path: places[0], present: false, userAdded: false });
      }
    }
  }
  return candidates;
}
