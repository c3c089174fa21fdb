// Signatures per second through TokenSigner versus raw pkcs11js calls on the same SoftHSM key: the Signer's overhead.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pkcs11js from 'pkcs11js';
import { finalizeAllModules, loadModule, TokenSession, TokenSigner } from '../src/core/token/index.js';
import type { SignatureAlgorithm } from '../src/shared/token.js';
import type { PkiManifest } from '../tests/kit/pki-manifest.js';

const COUNT = Number(process.env.BENCH_SIGNATURES ?? 500);
const outDir = path.resolve('.tmp/bench-pki');
execFileSync('bash', ['scripts/make-test-pki.sh', outDir], { stdio: 'ignore' });
const pki = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as PkiManifest;
process.env.SOFTHSM2_CONF = pki.softhsmConf;

const session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
await session.login(pki.userPin);
const module = await loadModule(pki.module);
const lib = module.lib;

/** The baseline: what a hand-written caller would do, on its own session with the same key. */
function rawSession(): { handle: Buffer; key: (id: string) => Buffer } {
  const [slot] = lib.C_GetSlotList(true).filter((s) => lib.C_GetTokenInfo(s).label.trim() === 'VANTHU LEADER');
  const handle = lib.C_OpenSession(slot!, pkcs11js.CKF_SERIAL_SESSION);
  return {
    handle,
    key: (id) => {
      lib.C_FindObjectsInit(handle, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
      ]);
      const [key] = lib.C_FindObjects(handle, 1);
      lib.C_FindObjectsFinal(handle);
      return key!;
    },
  };
}

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

async function measure(name: string, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < COUNT; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = COUNT / seconds;
  console.log(`${name.padEnd(44)} ${perSecond.toFixed(1).padStart(8)} signatures/s  (${((seconds / COUNT) * 1000).toFixed(3)} ms each)`);
  return perSecond;
}

const raw = rawSession();
console.log(`SoftHSM ${module.info.libraryVersion}, ${COUNT} signatures each, Node ${process.version}\n`);
for (const [label, id, algorithm] of [
  ['RSA-2048 PKCS#1 v1.5 SHA-256', '01', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
  ['ECDSA P-256 SHA-256', '02', { name: 'ECDSA', hash: 'SHA-256' }],
] as const) {
  const signer = new TokenSigner(session, await session.certificate(id));
  const key = raw.key(id);
  const mechanism = algorithm.name === 'ECDSA' ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS;
  const input = (i: number): Buffer => {
    const digest = createHash('sha256').update(`văn bản ${i}`).digest();
    return algorithm.name === 'ECDSA' ? digest : Buffer.concat([SHA256_DIGEST_INFO, digest]);
  };
  const viaSigner = await measure(`${label}: TokenSigner.sign`, (i) => signer.sign(Buffer.from(`văn bản ${i}`), algorithm as SignatureAlgorithm));
  const viaRawAsync = await measure(`${label}: raw C_SignAsync`, (i) => {
    lib.C_SignInit(raw.handle, { mechanism }, key);
    return lib.C_SignAsync(raw.handle, input(i), Buffer.alloc(512));
  });
  const viaRawSync = await measure(`${label}: raw C_Sign (blocks the loop)`, async (i) => {
    lib.C_SignInit(raw.handle, { mechanism }, key);
    return lib.C_Sign(raw.handle, input(i), Buffer.alloc(512));
  });
  console.log(`  overhead ratio TokenSigner / raw async: ${(viaRawAsync / viaSigner).toFixed(2)}x, / raw sync: ${(viaRawSync / viaSigner).toFixed(2)}x\n`);
}
lib.C_CloseSession(raw.handle);
await session.logout();
await finalizeAllModules();
