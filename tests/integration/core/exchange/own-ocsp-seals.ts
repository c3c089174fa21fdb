// Agency seals (software EC keys from the test sub-CA) whose only revocation source is an OCSP address the test serves: no CRL to fall back on, and the CA index its responders answer from.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PdfSigningKey } from '../../../../src/core/signing/index.js';
import type { SoftKey } from '../../../kit/soft-cms.js';
import { issue, LEAF_EXTENSIONS, readDer, type TrustPki } from '../trust/kit.js';

export interface OwnOcspSeal {
  /** The certificate's common name (the directory's rule names it). */
  name: string;
  /** Its serial as the revocation caches key it: lower-case hex, no leading zero bytes. */
  serial: string;
  soft: SoftKey;
  /** For signPdf: ECDSA P-256 with node:crypto. */
  signingKey: PdfSigningKey;
}

const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

/**
 * One seal per name, issued by the test sub-CA with an AIA OCSP address on `port` and nothing else to learn its status
 * from; `index` is a copy of the test PKI's CA index that lists them too, for `openssl ocsp` (ocsp-service.ts).
 */
export function ownOcspSeals(pki: TrustPki, dir: string, port: number, names: string[]): { seals: OwnOcspSeal[]; index: string } {
  const index = path.join(dir, 'index.txt');
  copyFileSync(pki.ocsp.index, index);
  // openssl reads index.txt.attr beside the index; without one it refuses a name listed twice.
  writeFileSync(`${index}.attr`, 'unique_subject = no\n');
  const subCa = readDer(pki.subCaDer);
  const seals = names.map((name, i): OwnOcspSeal => {
    const subject = `/C=VN/O=vanthu test/CN=${name}`;
    const issued = issue(pki, dir, `seal-own-ocsp-${i}`, [...LEAF_EXTENSIONS, `authorityInfoAccess = OCSP;URI:http://127.0.0.1:${port}/`], { subject });
    const facts = execFileSync('openssl', ['x509', '-in', issued.pem, '-noout', '-serial', '-enddate'], { encoding: 'utf8' });
    const serial = /serial=([0-9A-F]+)/i.exec(facts)![1]!.toUpperCase();
    const end = new Date(/notAfter=(.+)/.exec(facts)![1]!.trim());
    appendFileSync(index, `V\t${end.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z\t\t${serial}\tunknown\t${subject}\n`);
    const key = createPrivateKey(readFileSync(issued.key));
    return {
      name,
      serial: serial.toLowerCase().replace(/^(00)+(?=.)/, ''),
      soft: { key, certificate: issued.der, chain: [subCa] },
      signingKey: {
        signer: { sign: async (data, algorithm) => new Uint8Array(sign(NODE_HASH[algorithm.hash], data, { key, dsaEncoding: 'der' })) },
        certificate: issued.der,
        chain: [subCa],
        keyType: 'ec',
      },
    };
  });
  return { seals, index };
}
