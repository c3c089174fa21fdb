// Loads trusted root certificates: the bundled Vietnamese roots, files the user chose, and DER given directly.
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

async function bundledFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => CERT_FILE.test(name)).sort().map((name) => path.join(dir, name));
  } catch (error) {
    // No bundled directory (e.g. a packaged layout without it) just means no bundled roots.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Builds a trust store; the same root given twice is kept once. */
export async function trustStoreFrom(options: {
  pemOrDerFiles?: string[];
  roots?: Uint8Array[];
  includeBundled?: boolean;
  /** Where the bundled roots live; defaults to the repository's resources/trust/. */
  bundledDir?: string;
}): Promise<TrustStore> {
  const files = [...(options.includeBundled ? await bundledFiles(options.bundledDir ?? BUNDLED_TRUST_DIR) : []), ...(options.pemOrDerFiles ?? [])];
  const all: Uint8Array[] = [];
  for (const file of files) all.push(...(await certificatesInFile(file)));
  for (const der of options.roots ?? []) {
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new VanthuError('TRUST_ROOT_FILE_INVALID', { path: '(bytes)', detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    all.push(copyBytes(der));
  }
  const seen = new Set<string>();
  const roots = all.filter((der) => {
    const id = createHash('sha256').update(der).digest('hex');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { roots };
}
