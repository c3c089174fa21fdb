// Adds the local CA to an NSS database (Chromium's ~/.pki/nssdb, a Firefox profile) with certutil, and tells whether it is there.
import { execFile } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';

const run = promisify(execFile);
export const LOCAL_CA_NICKNAME = 'vanthu Local Signing CA';

/** The NSS database Chromium (and Chrome) use on Linux. */
export const chromiumNssDb = (): string => path.join(homedir(), '.pki', 'nssdb');

/** Firefox profiles that already have an NSS database (cert9.db), under `home`/.mozilla/firefox (and the snap's). */
export async function firefoxNssDbs(home = homedir()): Promise<string[]> {
  const found: string[] = [];
  for (const root of [path.join(home, '.mozilla', 'firefox'), path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      const dir = path.join(root, name);
      if (await stat(path.join(dir, 'cert9.db')).then(() => true, () => false)) found.push(dir);
    }
  }
  return found;
}

export class NssTrustError extends Error {
  readonly code = 'LOCAL_CA_TRUST_FAILED';
  constructor(
    readonly messageVi: string,
    message: string,
  ) {
    super(message);
  }
}

async function certutil(args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run('certutil', args, { encoding: 'utf8' });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new NssTrustError('Không có công cụ certutil (gói libnss3-tools). Hãy cài gói này rồi thử lại.', 'certutil (libnss3-tools) is not installed');
    throw new NssTrustError(`certutil báo lỗi: ${err.stderr?.trim() ?? err.message}`, `certutil failed: ${err.stderr?.trim() ?? err.message}`);
  }
}

/** Whether the database holds this CA (same fingerprint) as a trusted issuer of server certificates. */
export async function isCaTrustedInNssDb(dbDir: string, caPem: string): Promise<boolean> {
  const wanted = new X509Certificate(caPem).fingerprint256;
  try {
    const { stdout } = await certutil(['-d', `sql:${dbDir}`, '-L', '-n', LOCAL_CA_NICKNAME, '-a']);
    const listed = [...stdout.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]).fingerprint256);
    if (!listed.includes(wanted)) return false;
    const { stdout: trust } = await certutil(['-d', `sql:${dbDir}`, '-L']);
    const line = trust.split('\n').find((l) => l.startsWith(LOCAL_CA_NICKNAME));
    return line !== undefined && /\s[CT]\w*,[^,]*,[^,]*$/.test(line.trim());
  } catch {
    return false;
  }
}

/**
 * Adds the CA as trusted for server certificates (`-t C,,`) to the NSS database in `dbDir`,
 * creating an empty database when the folder has none. Call only after the user agreed: a CA in
 * the browser's store lets its key vouch for any site. An older vanthu CA of the same nickname
 * is replaced.
 */
export async function trustCaInNssDb(dbDir: string, caPath: string): Promise<void> {
  await mkdir(dbDir, { recursive: true, mode: 0o700 });
  const db = `sql:${dbDir}`;
  const listing = await certutil(['-d', db, '-L']).catch(async () => {
    await certutil(['-d', db, '-N', '--empty-password']);
    return { stdout: '', stderr: '' };
  });
  if (listing.stdout.includes(LOCAL_CA_NICKNAME)) await certutil(['-d', db, '-D', '-n', LOCAL_CA_NICKNAME]);
  await certutil(['-d', db, '-A', '-t', 'C,,', '-n', LOCAL_CA_NICKNAME, '-i', caPath]);
}
