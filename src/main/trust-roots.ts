// The trusted roots as the settings screen shows and changes them: bundled roots with their on/off state, the user's extra roots, adding a CA certificate into <dataDir>/trust/.
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../core/fs/private-dir.js';
import { BUNDLED_TRUST_DIR } from '../core/trust/index.js';
import { VanthuError } from '../shared/errors.js';
import type { BundledRootView, ExtraRootView, TrustList, TrustRootView } from '../shared/ipc/trust.js';
import type { Settings, SettingsPatch } from '../shared/settings.js';
import { vietnamDateTime } from '../shared/vietnam-time.js';

type TrustSettings = Pick<Settings, 'extraTrustRoots' | 'disabledBundledRoots'>;

const CERT_FILE = /\.(pem|cer|crt|der)$/i;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** "AB:CD…" or "abcd…" to bare lower-case hex, as the settings keep it. */
const bareHex = (text: string): string => text.replace(/[:\s]/g, '').toLowerCase();
const day = (text: string): string => vietnamDateTime(new Date(text)).slice(0, 10);

/** Every certificate in a PEM bundle or one DER; unreadable input yields none. */
function certificatesIn(bytes: Uint8Array): X509Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = text.includes('-----BEGIN CERTIFICATE-----') ? (text.match(PEM_BLOCK) ?? []).map((pem) => Buffer.from(pem, 'latin1')) : [Buffer.from(bytes)];
  const out: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // An unreadable block is left out here; trust-settings reports unreadable files when it builds the store.
    }
  }
  return out;
}

function certificatesInFile(file: string): X509Certificate[] {
  try {
    return certificatesIn(new Uint8Array(readFileSync(file)));
  } catch {
    return [];
  }
}

const subjectName = (cert: X509Certificate): string => /(?:^|\n)CN=(.*)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ');

/** Issued by itself and signed by its own key; a key type Node cannot check counts as not self-signed rather than failing the list. */
function selfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

function view(cert: X509Certificate): TrustRootView {
  return { subjectName: subjectName(cert), validFrom: day(cert.validFrom), validTo: day(cert.validTo), fingerprint: bareHex(cert.fingerprint256), selfSigned: selfSigned(cert) };
}

const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => CERT_FILE.test(name)).sort().map((name) => path.join(dir, name)) : []);

/** The bundled roots (loose files, roots/ and provisional/; intermediates are not roots), each on unless its fingerprint or file name is disabled. */
export function bundledRoots(settings: TrustSettings, bundledDir: string = BUNDLED_TRUST_DIR): BundledRootView[] {
  const off = new Set((settings.disabledBundledRoots ?? []).map(bareHex));
  const out: BundledRootView[] = [];
  const seen = new Set<string>();
  for (const [files, provisional] of [[[...filesIn(bundledDir), ...filesIn(path.join(bundledDir, 'roots'))], false], [filesIn(path.join(bundledDir, 'provisional')), true]] as const) {
    for (const file of files) {
      for (const cert of certificatesInFile(file)) {
        const facts = view(cert);
        if (seen.has(facts.fingerprint)) continue;
        seen.add(facts.fingerprint);
        out.push({ ...facts, provisional, enabled: !off.has(facts.fingerprint) && !off.has(bareHex(path.basename(file))) });
      }
    }
  }
  return out;
}

export function extraRoots(settings: TrustSettings): ExtraRootView[] {
  return (settings.extraTrustRoots ?? []).flatMap((file) => certificatesInFile(file).map((cert) => ({ ...view(cert), file })));
}

export function trustList(settings: TrustSettings, bundledDir?: string): TrustList {
  return { bundled: bundledRoots(settings, bundledDir), extra: extraRoots(settings) };
}

/** The settings change that turns one bundled root on or off (by fingerprint, also dropping a disabled entry by its file name). */
export function bundledEnabledPatch(settings: TrustSettings, fingerprint: string, enabled: boolean, bundledDir: string = BUNDLED_TRUST_DIR): SettingsPatch {
  const current = settings.disabledBundledRoots ?? [];
  if (!enabled) return { disabledBundledRoots: current.some((entry) => bareHex(entry) === fingerprint) ? current : [...current, fingerprint] };
  const names = new Set<string>();
  for (const dir of [bundledDir, path.join(bundledDir, 'roots'), path.join(bundledDir, 'provisional')]) {
    for (const file of filesIn(dir)) if (certificatesInFile(file).some((cert) => bareHex(cert.fingerprint256) === fingerprint)) names.add(bareHex(path.basename(file)));
  }
  return { disabledBundledRoots: current.filter((entry) => bareHex(entry) !== fingerprint && !names.has(bareHex(entry))) };
}

/**
 * Checks that the bytes are one CA certificate (basicConstraints cA; self-signed or not), writes it as
 * <dataDir>/trust/<sha256>.pem (0600) and returns the settings change that trusts it.
 */
export function addRootPatch(settings: TrustSettings, dataDir: string, bytes: Uint8Array): SettingsPatch {
  const [cert] = certificatesIn(bytes);
  if (!cert) throw new VanthuError('TRUST_ROOT_BYTES_INVALID', { detail: 'no certificate in PEM or DER form' });
  if (!cert.ca) throw new VanthuError('TRUST_ROOT_NOT_CA', { subject: subjectName(cert) });
  const dir = path.join(dataDir, 'trust');
  mkdirPrivate(dir);
  const file = path.join(dir, `${bareHex(cert.fingerprint256)}.pem`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, cert.toString(), { mode: PRIVATE_FILE_MODE });
  renameSync(tmp, file);
  const current = settings.extraTrustRoots ?? [];
  return { extraTrustRoots: current.includes(file) ? current : [...current, file] };
}

/** The settings change that stops trusting the user's root(s) with this fingerprint; copies the app made in <dataDir>/trust/ are deleted. */
export function removeRootPatch(settings: TrustSettings, dataDir: string | undefined, fingerprint: string): SettingsPatch {
  const current = settings.extraTrustRoots ?? [];
  const gone = current.filter((file) => certificatesInFile(file).some((cert) => bareHex(cert.fingerprint256) === fingerprint));
  if (gone.length === 0) throw new VanthuError('BAD_INPUT', { detail: 'không có chứng thư gốc này trong danh sách của bạn / this root is not among your added roots' });
  for (const file of gone) {
    if (dataDir && path.dirname(path.resolve(file)) === path.resolve(dataDir, 'trust')) unlinkSync(file);
  }
  return { extraTrustRoots: current.filter((file) => !gone.includes(file)) };
}
