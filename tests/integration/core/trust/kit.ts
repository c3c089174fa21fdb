// Test helpers for trust: the test PKI's certificates as DER, extra certificates issued with openssl, loopback ports that fail.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PkiManifest } from '../../../kit/pki-manifest.js';
import { tokenNamed, usePki } from '../../../kit/pki.js';

/** make-test-pki.sh also writes the CA keys, which the shared manifest type does not list. */
export interface TrustPki extends PkiManifest {
  subCaKeyPem: string;
  rootKeyPem: string;
  rootCrlDer: string;
}

export interface TestCerts {
  pki: TrustPki;
  root: Uint8Array;
  subCa: Uint8Array;
  leader: Uint8Array;
  leaderEc: Uint8Array;
  agency: Uint8Array;
  revoked: Uint8Array;
  ocspResponder: Uint8Array;
  crl: Uint8Array;
}

export const readDer = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
const derOfPem = (pemFile: string): Uint8Array => readDer(pemFile.replace(/\.pem$/, '.der'));

export function testCerts(): TestCerts {
  const pki = usePki() as TrustPki;
  return {
    pki,
    root: readDer(pki.rootDer),
    subCa: readDer(pki.subCaDer),
    leader: readDer(tokenNamed(pki, 'VANTHU LEADER').objects[0]!.certDer),
    leaderEc: readDer(tokenNamed(pki, 'VANTHU LEADER').objects[1]!.certDer),
    agency: readDer(tokenNamed(pki, 'VANTHU AGENCY').objects[0]!.certDer),
    revoked: derOfPem(pki.revoked.certPem),
    ocspResponder: derOfPem(pki.ocsp.certPem),
    crl: readDer(pki.crlDer),
  };
}

export interface Issued {
  der: Uint8Array;
  pem: string;
  key: string;
}

/** A scratch directory for one test file's extra certificates. */
export const scratchDir = (): string => mkdtempSync(path.join(tmpdir(), 'vanthu-trust-'));

/**
 * Issues a certificate with openssl: `extensions` are openssl.cnf lines (e.g. "keyUsage = digitalSignature"),
 * signed by `options.ca` (the test sub-CA by default), valid from now for 30 days.
 */
export function issue(
  pki: TrustPki,
  dir: string,
  name: string,
  extensions: string[],
  options: { ca?: { pem: string; key: string }; subject?: string } = {},
): Issued {
  const ca = options.ca ?? { pem: pki.subCaPem, key: pki.subCaKeyPem };
  const base = path.join(dir, name);
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${base}.key`], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-config', pki.opensslConf, '-new', '-utf8', '-key', `${base}.key`, '-subj', options.subject ?? `/C=VN/O=vanthu test/CN=${name}`, '-out', `${base}.csr`], { stdio: 'ignore' });
  writeFileSync(`${base}.ext`, `[ext]\n${extensions.join('\n')}\n`);
  execFileSync(
    'openssl',
    ['x509', '-req', '-in', `${base}.csr`, '-CA', ca.pem, '-CAkey', ca.key, '-days', '30', '-sha256',
      '-set_serial', `0x1${randomBytes(8).toString('hex')}`, '-extfile', `${base}.ext`, '-extensions', 'ext', '-out', `${base}.pem`],
    { stdio: 'ignore' },
  );
  execFileSync('openssl', ['x509', '-in', `${base}.pem`, '-outform', 'DER', '-out', `${base}.der`]);
  return { der: readDer(`${base}.der`), pem: `${base}.pem`, key: `${base}.key` };
}

export const LEAF_EXTENSIONS = [
  'basicConstraints = critical, CA:false',
  'keyUsage = critical, digitalSignature, nonRepudiation',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
];

/** A loopback port nobody listens on: bound, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A loopback server that accepts connections and never answers, like a responder that hangs. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A copy with one byte inverted. */
export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index] = copy[index]! ^ 0xff;
  return copy;
}

/** Index of `part` inside `whole` (e.g. a signature value inside its DER container). */
export function indexOfBytes(whole: Uint8Array, part: Uint8Array): number {
  return Buffer.from(whole).indexOf(Buffer.from(part));
}
