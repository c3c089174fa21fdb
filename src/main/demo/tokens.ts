// The demo's SoftHSM tokens: a leader's token and an agency token in the demo's own token folder (its own SOFTHSM2_CONF), keys made on the token, certificates from the demo PKI.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { issueLeaf, tool } from './pki.js';

/** Demo PINs, shown on screen: these tokens are throwaway SoftHSM files, not anyone's real token. */
export const DEMO_LEADER_PIN = '111111';
export const DEMO_AGENCY_PIN = '222222';
const DEMO_SO_PIN = '87654321';

export const DEMO_LEADER_TOKEN = 'DUNG THU LANH DAO';
export const DEMO_AGENCY_TOKEN = 'DUNG THU DON VI';
export const DEMO_AGENCY_CERT = 'don-vi';
export const DEMO_LEADER_CERT = 'lanh-dao';

const MODULE_PLACES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so', '/opt/homebrew/lib/softhsm/libsofthsm2.so'];

/** The SoftHSM module installed here, if any. */
export const softhsmModule = (): string | undefined => MODULE_PLACES.find((file) => existsSync(file));

/** Writes the demo's SoftHSM configuration: its tokens live only under `dir`. */
export async function writeSofthsmConf(dir: string): Promise<string> {
  const tokenDir = path.join(dir, 'tokens');
  await mkdir(tokenDir, { recursive: true });
  const file = path.join(dir, 'softhsm2.conf');
  await writeFile(file, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  return file;
}

interface TokenKeySpec {
  token: string;
  pin: string;
  name: string;
  subject: string;
}

/**
 * Initializes a token and makes an RSA key pair on it (the private key never leaves it), then puts the demo
 * CA's certificate for that key on the token. The tools see only the demo's SOFTHSM2_CONF, never the user's.
 */
async function makeToken(pkiDir: string, module: string, softhsmConf: string, spec: TokenKeySpec): Promise<void> {
  const env = { ...process.env, SOFTHSM2_CONF: softhsmConf };
  await tool('softhsm2-util', ['--init-token', '--free', '--label', spec.token, '--pin', spec.pin, '--so-pin', DEMO_SO_PIN], env);
  const login = ['--module', module, '--token-label', spec.token, '--login', '--pin', spec.pin];
  await tool('pkcs11-tool', [...login, '--keypairgen', '--key-type', 'rsa:2048', '--id', '01', '--label', spec.name, '--usage-sign', '--sensitive'], env);
  const publicDer = path.join(pkiDir, `${spec.name}.pub.der`);
  const publicPem = path.join(pkiDir, `${spec.name}.pub.pem`);
  await tool('pkcs11-tool', ['--module', module, '--token-label', spec.token, '--read-object', '--type', 'pubkey', '--id', '01', '-o', publicDer], env);
  await tool('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', publicDer, '-out', publicPem]);
  const { der } = await issueLeaf(pkiDir, spec.name, spec.subject, publicPem);
  await tool('pkcs11-tool', [...login, '--write-object', der, '--type', 'cert', '--id', '01', '--label', spec.name], env);
}

export const LEADER_NAME = 'Nguyễn Văn An';
export const AGENCY_NAME = 'UBND tỉnh Dùng Thử';
const PLACE = '/C=VN/ST=Dùng Thử/L=Dùng Thử';

/** Both demo tokens. */
export async function makeDemoTokens(pkiDir: string, module: string, softhsmConf: string): Promise<void> {
  await makeToken(pkiDir, module, softhsmConf, {
    token: DEMO_LEADER_TOKEN,
    pin: DEMO_LEADER_PIN,
    name: DEMO_LEADER_CERT,
    subject: `${PLACE}/O=${AGENCY_NAME}/OU=Văn phòng/title=Chủ tịch/CN=${LEADER_NAME}/UID=CCCD:000000000001`,
  });
  await makeToken(pkiDir, module, softhsmConf, {
    token: DEMO_AGENCY_TOKEN,
    pin: DEMO_AGENCY_PIN,
    name: DEMO_AGENCY_CERT,
    subject: `${PLACE}/O=${AGENCY_NAME}/CN=${AGENCY_NAME}/UID=MST:0000000001`,
  });
}
