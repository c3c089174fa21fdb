// Test helpers for PDF signing: a software signing certificate from the test sub-CA, openssl CMS, and pdfsig/qpdf/poppler runs parsed.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { PkiManifest } from './pki-manifest.js';

export const fixture = (name: string): Uint8Array => readFileSync(path.resolve('tests/fixtures/pdf', name));

export interface SoftSigner {
  dir: string;
  certPem: string;
  keyPem: string;
  chainPem: string;
}

/**
 * A software key and a signing certificate issued by the test sub-CA. No AIA/CRL URLs, so
 * pdfsig checks the chain against the NSS db without reaching for the network.
 */
export function issueSoftSigner(pki: PkiManifest, commonName: string): SoftSigner {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-pdf-signer-'));
  const keyPem = path.join(dir, 'signer.key');
  const csr = path.join(dir, 'signer.csr');
  const certPem = path.join(dir, 'signer.pem');
  const ext = path.join(dir, 'ext.cnf');
  const subCaKey = (pki as PkiManifest & { subCaKeyPem?: string }).subCaKeyPem ?? path.join(pki.outDir, 'ca', 'subca.key');
  writeFileSync(ext, '[v3]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-keyout', keyPem, '-subj', `/CN=${commonName}/O=UBND tỉnh Cao Bằng (TEST)`, '-out', csr], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', pki.subCaPem, '-CAkey', subCaKey, '-set_serial', `0x1${randomBytes(8).toString('hex')}`, '-days', '30', '-sha256', '-extfile', ext, '-extensions', 'v3', '-out', certPem], { stdio: 'ignore' });
  return { dir, certPem, keyPem, chainPem: pki.subCaPem };
}

/** A detached CMS (openssl cms -sign -binary, SHA-256) over the given content. */
export function opensslCms(signer: SoftSigner, content: Uint8Array): Uint8Array {
  const dir = mkdtempSync(path.join(signer.dir, 'cms-'));
  const input = path.join(dir, 'content.bin');
  const output = path.join(dir, 'cms.der');
  writeFileSync(input, content);
  execFileSync('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-md', 'sha256', '-in', input, '-signer', signer.certPem, '-inkey', signer.keyPem, '-certfile', signer.chainPem, '-out', output]);
  return readFileSync(output);
}

export const writeTemp = (name: string, bytes: Uint8Array): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-pdf-')), name);
  writeFileSync(file, bytes);
  return file;
};

export interface PdfsigSignature {
  field: string;
  signatureValidation: string;
  certificateValidation: string;
  totalDocumentSigned: boolean;
  type: string;
  ranges: string;
}

/** pdfsig's report, one entry per signature in file order. */
export function pdfsig(file: string, nssDbSpec: string): PdfsigSignature[] {
  const run = spawnSync('pdfsig', ['-nssdir', nssDbSpec, file], { encoding: 'utf8' });
  const blocks = run.stdout.split(/^Signature #\d+:$/m).slice(1);
  const field = (block: string, name: string): string => new RegExp(`- ${name}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
  return blocks.map((block) => ({
    field: field(block, 'Signature Field Name'),
    signatureValidation: field(block, 'Signature Validation'),
    certificateValidation: field(block, 'Certificate Validation'),
    totalDocumentSigned: /- Total document signed/.test(block),
    type: field(block, 'Signature Type'),
    ranges: field(block, 'Signed Ranges'),
  }));
}

/** qpdf --check: exit status and output (qpdf exits 0 only with no errors and no warnings). */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const run = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** qpdf's xref entry for one object, e.g. "uncompressed; offset = 1246" or "compressed; stream = 20, index = 0". */
export function xrefEntry(file: string, objectNumber: number): string {
  const out = execFileSync('qpdf', ['--show-xref', file], { encoding: 'utf8' });
  return new RegExp(`^${objectNumber}/0: (.*)$`, 'm').exec(out)?.[1] ?? '';
}

/** RGB pixels of one page region rendered by pdftoppm at 72 dpi (1 pixel = 1 point), top-left origin. */
export function renderRegion(file: string, page: number, x: number, yTop: number, w: number, h: number): { width: number; height: number; rgb: Buffer } {
  const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), '-x', String(x), '-y', String(yTop), '-W', String(w), '-H', String(h), file]);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header?.[1] || !header[2]) throw new Error('pdftoppm did not write a PPM');
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

/** A PNG (RGBA, 8 bit) of a filled disc of the given colour on a transparent background. */
export function discPng(size: number, [r, g, b]: [number, number, number]): Uint8Array {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const i = y * (size * 4 + 1) + 1 + x * 4;
      const inside = (x - c) ** 2 + (y - c) ** 2 <= (size / 2 - 1) ** 2;
      raw.set([r, g, b, inside ? 255 : 0], i);
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
