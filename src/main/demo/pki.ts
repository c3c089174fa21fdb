// The demo's own PKI, made once per machine with openssl: a demo root CA, the leader's and the agency's certificates (keys on demo SoftHSM tokens), the robot agency's software key, and the root's CRL.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Facts the demo keeps about its PKI (state.json); no PIN of a real token is ever here, only the demo's own. */
export interface DemoPki {
  dir: string;
  rootPem: string;
  /** Port of the loopback CRL service named in every demo certificate. */
  crlPort: number;
  crlPem: string;
  crlDer: string;
  robot: { keyPem: string; certPem: string };
}

export const ROOT_SUBJECT = '/C=VN/O=vanthu - DÙNG THỬ/CN=CA dùng thử vanthu (không có giá trị pháp lý)';

/** Runs a tool of the demo; a missing one is reported by name (the controller turns that into a Vietnamese message). */
export async function tool(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(command, args, { env: env ?? process.env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

const conf = (dir: string, crlUrl: string): string => `# vanthu demo PKI: not a real CA, no legal value.
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = unused
[ ca ]
default_ca = demo
[ demo ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
certificate = $dir/root.pem
private_key = $dir/root.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 730
default_crl_days = 30
unique_subject = no
policy = policy_any
crl_extensions = crl_ext
[ policy_any ]
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:${crlUrl}
`;

/** Makes the root CA and its empty CRL in `dir` (which must be new). */
export async function makeRoot(dir: string, crlPort: number): Promise<{ conf: string; rootPem: string }> {
  await mkdir(path.join(dir, 'newcerts'), { recursive: true });
  const cnf = path.join(dir, 'openssl.cnf');
  await writeFile(cnf, conf(dir, `http://127.0.0.1:${crlPort}/demo.crl`));
  await writeFile(path.join(dir, 'index.txt'), '');
  await writeFile(path.join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  await writeFile(path.join(dir, 'serial'), '1001\n');
  await writeFile(path.join(dir, 'crlnumber'), '1000\n');
  const key = path.join(dir, 'root.key');
  const rootPem = path.join(dir, 'root.pem');
  await tool('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  await tool('openssl', ['req', '-config', cnf, '-new', '-x509', '-utf8', '-sha256', '-key', key, '-subj', ROOT_SUBJECT, '-days', '3650', '-extensions', 'v3_root', '-out', rootPem]);
  return { conf: cnf, rootPem };
}

/** Issues a leaf certificate for a public key (PEM) under the demo root; returns its PEM and DER paths. */
export async function issueLeaf(dir: string, name: string, subject: string, publicKeyPem: string): Promise<{ pem: string; der: string }> {
  const cnf = path.join(dir, 'openssl.cnf');
  // A throwaway key only self-signs the request carrying the subject; the real public key goes in with -force_pubkey.
  const throwaway = path.join(dir, `${name}.throwaway.key`);
  const csr = path.join(dir, `${name}.csr`);
  const pem = path.join(dir, `${name}.pem`);
  const der = path.join(dir, `${name}.der`);
  await tool('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', throwaway]);
  await tool('openssl', ['req', '-config', cnf, '-new', '-utf8', '-key', throwaway, '-subj', subject, '-out', csr]);
  const serial = `0x1${(await tool('openssl', ['rand', '-hex', '8'])).trim().slice(0, 15)}`;
  await tool('openssl', ['x509', '-req', '-in', csr, '-force_pubkey', publicKeyPem, '-CA', path.join(dir, 'root.pem'), '-CAkey', path.join(dir, 'root.key'), '-sha256', '-days', '730', '-set_serial', serial, '-extfile', cnf, '-extensions', 'v3_leaf', '-out', pem]);
  await tool('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
  // Registered in the CA's index so the CRL the demo serves knows it as valid.
  await tool('openssl', ['ca', '-config', cnf, '-valid', pem]);
  return { pem, der };
}

/** A software key and certificate for the robot agency (it has no token: it is the other side of the demo). */
export async function issueSoftKey(dir: string, name: string, subject: string): Promise<{ keyPem: string; certPem: string }> {
  const keyPem = path.join(dir, `${name}.key`);
  const publicPem = path.join(dir, `${name}.pub.pem`);
  await tool('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPem]);
  await tool('openssl', ['pkey', '-in', keyPem, '-pubout', '-out', publicPem]);
  const { pem } = await issueLeaf(dir, name, subject, publicPem);
  return { keyPem, certPem: pem };
}

/** A fresh CRL of the demo root (30 days), made at every demo start so it is never stale. */
export async function refreshCrl(dir: string): Promise<{ crlPem: string; crlDer: string }> {
  const cnf = path.join(dir, 'openssl.cnf');
  const crlPem = path.join(dir, 'demo-crl.pem');
  const crlDer = path.join(dir, 'demo.crl');
  await tool('openssl', ['ca', '-config', cnf, '-gencrl', '-out', crlPem]);
  await tool('openssl', ['crl', '-in', crlPem, '-outform', 'DER', '-out', crlDer]);
  return { crlPem, crlDer };
}

export const pemToDer = async (file: string): Promise<Uint8Array> => {
  const text = await readFile(file, 'utf8');
  return new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
};
