// Runs openssl as the independent verifier of CMS signatures and timestamp tokens in tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PkiManifest } from './pki-manifest.js';

export interface OpensslResult {
  ok: boolean;
  output: string;
}

const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'vanthu-openssl-'));

function openssl(args: string[]): OpensslResult {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/**
 * `openssl cms -verify` of a detached DER signature over `content`, trusting only the test root.
 * OpenSSL 3.0 builds the chain from the certificates inside the CMS only, so it must carry the sub-CA.
 */
export function opensslCmsVerify(pki: PkiManifest, cms: Uint8Array, content: Uint8Array): OpensslResult {
  const dir = scratch();
  const cmsFile = path.join(dir, 'sig.der');
  const contentFile = path.join(dir, 'content.bin');
  writeFileSync(cmsFile, cms);
  writeFileSync(contentFile, content);
  return openssl([
    'cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsFile, '-content', contentFile,
    '-CAfile', pki.rootPem, '-purpose', 'any', '-out', path.join(dir, 'out.bin'),
  ]);
}

/** `openssl ts -verify` of a TimeStampToken against a digest, trusting only the test root. */
export function opensslTsVerify(pki: PkiManifest, token: Uint8Array, digest: Uint8Array): OpensslResult {
  const dir = scratch();
  const tokenFile = path.join(dir, 'token.der');
  writeFileSync(tokenFile, token);
  return openssl([
    'ts', '-verify', '-digest', Buffer.from(digest).toString('hex'), '-in', tokenFile, '-token_in',
    '-CAfile', pki.rootPem, '-untrusted', pki.subCaPem,
  ]);
}

/** `openssl asn1parse` text of DER bytes, for failure messages and structure checks. */
export function opensslAsn1(der: Uint8Array): string {
  const dir = scratch();
  const file = path.join(dir, 'in.der');
  writeFileSync(file, der);
  return openssl(['asn1parse', '-inform', 'DER', '-in', file, '-i']).output;
}
