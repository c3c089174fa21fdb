// Adds the local CA to the user's trust store of each OS (NSS on Linux, the login keychain on macOS, the user's Root store on Windows) and tells whether it is there.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromiumNssDb, firefoxNssDbs, isCaTrustedInNssDb, LOCAL_CA_NICKNAME, NssTrustError, trustCaInNssDb } from './nss-trust.js';

/** A program and its arguments, built apart from running it so what each OS gets is testable anywhere. */
export interface TrustCommand {
  program: string;
  args: string[];
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Runs a command; rejects with NssTrustError (code LOCAL_CA_TRUST_FAILED) when the program is missing or fails. */
export type CommandRunner = (command: TrustCommand) => Promise<CommandOutput>;

const execFileAsync = promisify(execFile);

/** The trust tool itself is not on this machine: whether the CA is trusted cannot be told. */
export class TrustToolMissingError extends NssTrustError {}

export const runTrustCommand: CommandRunner = async ({ program, args }) => {
  try {
    return await execFileAsync(program, args, { encoding: 'utf8', windowsHide: true });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    const why = err.stderr?.trim() || err.message;
    if (err.code === 'ENOENT') throw new TrustToolMissingError(`Không tìm thấy công cụ ${program} trên máy này.`, `${program} is not available on this machine`);
    throw new NssTrustError(`${program} báo lỗi: ${why}`, `${program} failed: ${why}`);
  }
};

// macOS: the user's login keychain, trusted as a root for SSL only (the system asks for the user's password).
export const macLoginKeychain = (home = homedir()): string => path.join(home, 'Library', 'Keychains', 'login.keychain-db');

export const macTrustCommand = (caPath: string, keychain = macLoginKeychain()): TrustCommand => ({
  program: 'security',
  args: ['add-trusted-cert', '-r', 'trustRoot', '-p', 'ssl', '-k', keychain, caPath],
});

/** Lists the keychain's certificates named like the local CA, with their SHA-256 hashes (-Z). */
export const macFindCommand = (keychain = macLoginKeychain()): TrustCommand => ({
  program: 'security',
  args: ['find-certificate', '-a', '-Z', '-c', LOCAL_CA_NICKNAME, keychain],
});

/** Evaluates the CA against the SSL policy with the user's trust settings, offline (-L). */
export const macVerifyCommand = (caPath: string): TrustCommand => ({
  program: 'security',
  args: ['verify-cert', '-c', caPath, '-p', 'ssl', '-L', '-q'],
});

// Windows: the current user's Root store (no administrator; Windows itself shows a confirmation).
export const windowsTrustCommand = (caPath: string): TrustCommand => ({
  program: 'certutil',
  args: ['-user', '-addstore', 'Root', caPath],
});

export const windowsVerifyCommand = (caPem: string): TrustCommand => ({
  program: 'certutil',
  args: ['-user', '-verifystore', 'Root', new X509Certificate(caPem).serialNumber],
});

const hexOnly = (fingerprint: string): string => fingerprint.replace(/[^0-9a-f]/gi, '').toLowerCase();

/** Whether `security find-certificate -Z` output lists a certificate with this CA's SHA-256 hash. */
export const macListsCa = (findOutput: string, caPem: string): boolean => {
  const wanted = hexOnly(new X509Certificate(caPem).fingerprint256);
  return [...findOutput.matchAll(/SHA-256 hash:\s*([0-9A-Fa-f]+)/g)].some((m) => hexOnly(m[1]!) === wanted);
};

/** Whether `certutil -verifystore` output shows this very CA (its SHA-1 "Cert Hash"), not just one with the same serial. */
export const windowsListsCa = (verifyOutput: string, caPem: string): boolean => {
  const wanted = hexOnly(new X509Certificate(caPem).fingerprint);
  return [...verifyOutput.matchAll(/Cert Hash\(sha1\):\s*([0-9a-f ]+)/gi)].some((m) => hexOnly(m[1]!) === wanted);
};

export type UserTrustStoreKind = 'nss' | 'macos-login-keychain' | 'windows-user-root';

/** Where this OS's browsers look for trusted roots, and how to add the local CA there. */
export interface UserTrustStore {
  kind: UserTrustStoreKind;
  /** Adds the CA. Call only after the user agreed. */
  trust(tls: { caPath: string }): Promise<void>;
  isTrusted(tls: { caPath: string; caPem: string }): Promise<boolean>;
}

const succeeds = (run: CommandRunner, command: TrustCommand): Promise<CommandOutput | undefined> =>
  run(command).catch((error: unknown) => {
    // A missing program means we cannot tell (the caller shows "unknown"); a failing one means "not there".
    if (error instanceof TrustToolMissingError) throw error;
    return undefined;
  });

/**
 * The user trust store for `platform` (process.platform), or undefined where vanthu knows none.
 * On Linux: Chromium's NSS database (or `nssDb`) and, when `nssDb` is not given, every Firefox profile.
 */
export function userTrustStore(platform: NodeJS.Platform, options: { nssDb?: string; home?: string; run?: CommandRunner } = {}): UserTrustStore | undefined {
  const run = options.run ?? runTrustCommand;
  switch (platform) {
    case 'linux':
      return {
        kind: 'nss',
        trust: async ({ caPath }) => {
          await trustCaInNssDb(options.nssDb ?? chromiumNssDb(), caPath);
          // Firefox keeps its own store per profile; the profiles found get the CA too.
          if (!options.nssDb) for (const profile of await firefoxNssDbs(options.home)) await trustCaInNssDb(profile, caPath);
        },
        isTrusted: ({ caPem }) => isCaTrustedInNssDb(options.nssDb ?? chromiumNssDb(), caPem),
      };
    case 'darwin': {
      const keychain = macLoginKeychain(options.home);
      return {
        kind: 'macos-login-keychain',
        trust: async ({ caPath }) => {
          await run(macTrustCommand(caPath, keychain));
        },
        isTrusted: async ({ caPath, caPem }) => {
          const found = await succeeds(run, macFindCommand(keychain));
          if (!found || !macListsCa(found.stdout, caPem)) return false;
          return (await succeeds(run, macVerifyCommand(caPath))) !== undefined;
        },
      };
    }
    case 'win32':
      return {
        kind: 'windows-user-root',
        trust: async ({ caPath }) => {
          await run(windowsTrustCommand(caPath));
        },
        isTrusted: async ({ caPem }) => {
          const found = await succeeds(run, windowsVerifyCommand(caPem));
          return found !== undefined && windowsListsCa(found.stdout, caPem);
        },
      };
    default:
      return undefined;
  }
}
