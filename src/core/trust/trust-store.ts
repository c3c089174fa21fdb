// Loads trust: the bundled Vietnamese roots (full and provisional) and intermediates, files the user chose, and DER given directly.
import { createHash, X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { VanthuError } from '../../shared/errors.js';
import { resourceDir } from '../resources.js';
import { certificatesFromPem, copyBytes, looksLikePem } from './bytes.js';
import type { TrustStore } from './types.js';

/** resources/trust/ of the repository, from the source or a bundle. A packaged app passes `bundledDir`. */
export const BUNDLED_TRUST_DIR = `${resourceDir('trust')}${path.sep}`;
const CERT_FILE = /\.(pem|cer|crt|der)$/i;

/** Every certificate in one file, PEM (bundles allowed) or DER; throws TRUST_ROOT_FILE_INVALID otherwise. */
async function certificatesInFile(file: string): Promise<Uint8Array[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new VanthuError('TRUST_ROOT_FILE_INVALID', { path: file, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  const found = looksLikePem(bytes) ? certificatesFromPem(Buffer.from(bytes).toString('latin1')) : [bytes];
  if (found.length === 0) throw new VanthuError('TRUST_ROOT_FILE_INVALID', { path: file, detail: 'no CERTIFICATE block' });
  for (const der of found) {
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new VanthuError('TRUST_ROOT_FILE_INVALID', { path: file, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
  }
  return found;
}

async function certificateFilesIn(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => CERT_FILE.test(name)).sort().map((name) => path.join(dir, name));
  } catch (error) {
    // No bundled directory (e.g. a packaged layout without it) just means no bundled certificates.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const fingerprintOf = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');
/** "AB:CD…" or "abcd…" to bare lower-case hex, so a fingerprint copied from openssl matches. */
const normalFingerprint = (text: string): string => text.replace(/[:\s]/g, '').toLowerCase();

/** The bundled certificates by role: roots/ (and loose files), provisional/ and intermediates/. */
export interface BundledTrust {
  roots: Uint8Array[];
  provisional: Uint8Array[];
  intermediates: Uint8Array[];
}

/** Reads the bundled trust directory, leaving out the certificates whose file name or SHA-256 is in `disabled`. */
export async function readBundledTrust(dir: string = BUNDLED_TRUST_DIR, disabled: readonly string[] = []): Promise<BundledTrust> {
  const off = new Set(disabled.map(normalFingerprint));
  const load = async (sub: string | undefined): Promise<Uint8Array[]> => {
    const out: Uint8Array[] = [];
    for (const file of await certificateFilesIn(sub ? path.join(dir, sub) : dir)) {
      if (off.has(normalFingerprint(path.basename(file)))) continue;
      out.push(...(await certificatesInFile(file)).filter((der) => !off.has(fingerprintOf(der))));
    }
    return out;
  };
  return { roots: [...(await load(undefined)), ...(await load('roots'))], provisional: await load('provisional'), intermediates: await load('intermediates') };
}

/** Builds a trust store; the same root given twice is kept once. */
export async function trustStoreFrom(options: {
  pemOrDerFiles?: string[];
  roots?: Uint8Array[];
  includeBundled?: boolean;
  /** Where the bundled roots live; defaults to the repository's resources/trust/. */
  bundledDir?: string;
  /** Bundled certificates the user turned off, by SHA-256 fingerprint or file name. */
  disabledBundled?: readonly string[];
}): Promise<TrustStore> {
  const bundled: BundledTrust = options.includeBundled
    ? await readBundledTrust(options.bundledDir ?? BUNDLED_TRUST_DIR, options.disabledBundled)
    : { roots: [], provisional: [], intermediates: [] };
  const all: Uint8Array[] = [...bundled.roots];
  for (const file of options.pemOrDerFiles ?? []) all.push(...(await certificatesInFile(file)));
  for (const der of options.roots ?? []) {
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new VanthuError('TRUST_ROOT_FILE_INVALID', { path: '(bytes)', detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    all.push(copyBytes(der));
  }
  // A root the user gives explicitly is trusted fully even when the bundle also has it as provisional.
  const full = new Set(all.map(fingerprintOf));
  const provisional = new Set(bundled.provisional.map(fingerprintOf).filter((id) => !full.has(id)));
  const seen = new Set<string>();
  const roots = [...all, ...bundled.provisional].filter((der) => {
    const id = fingerprintOf(der);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { roots, provisional, intermediates: bundled.intermediates };
}
