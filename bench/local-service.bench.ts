// The web signing service's cost per document: SignFile through wss://127.0.0.1 (download, sign, keep, upload to a loopback site) against signPdf on the same bytes and key, plus a bare GetVersion round trip.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ensureTlsMaterial, OriginPolicy, startLocalService, type ServiceAnswer } from '../src/core/local-service/index.js';
import { signPdf } from '../src/core/signing/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { trustStoreFrom } from '../src/core/trust/index.js';
import { SESSION_ID, startEOfficeSite } from '../tests/kit/e-office-site.js';
import { leaderRsaKey, loadLine, makeBenchPki, quantile, seconds } from './kit/bench-pki.js';

const COUNT = Number(process.env.BENCH_REQUESTS ?? 60);
// The two take turns on blocks, so load from other work on the machine falls on both alike.
const BLOCK = Math.min(COUNT, 10);
const work = path.resolve('.tmp/bench-local-service');
rmSync(path.join(work, 'kept'), { recursive: true, force: true });
mkdirSync(work, { recursive: true });
console.log(`local-service: ${COUNT} SignFile requests of a 2-page PDF, RSA-2048 on SoftHSM, Node ${process.version}, ${loadLine()}`);

const pki = makeBenchPki(path.join(work, 'pki'));
const { key, session } = await leaderRsaKey(pki);
const pdf = new Uint8Array(readFileSync(path.resolve('tests/fixtures/pdf/classic-xref.pdf')));
const site = await startEOfficeSite();
site.files.set('to-trinh.pdf', pdf);
const tls = await ensureTlsMaterial(path.join(work, 'tls'));
const service = await startLocalService({
  port: 0,
  tls,
  policy: new OriginPolicy({ allowed: [site.origin] }),
  identity: async () => ({ key, level: 'B-B' }),
  certificate: async () => key.certificate,
  keptDir: path.join(work, 'kept'),
  log: () => undefined,
  trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false }),
  version: 'bench',
});

const ask = (operation: string, body: unknown): Promise<ServiceAnswer> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://127.0.0.1:${service.port}/${operation}`, { origin: site.origin, ca: tls.caPem });
    socket.on('open', () => socket.send(JSON.stringify(body)));
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as ServiceAnswer);
      socket.close();
    });
    socket.on('error', reject);
  });

const request = { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID };
// Warm both paths (TLS session, module, JIT) before measuring.
for (let i = 0; i < 3; i++) {
  await ask('SignFile', request);
  await signPdf(pdf, key, { level: 'B-B' });
}

const viaService: number[] = [];
const direct: number[] = [];
const version: number[] = [];
for (let done = 0; done < COUNT; done += BLOCK) {
  for (let i = 0; i < BLOCK; i++) {
    const start = process.hrtime.bigint();
    const answer = await ask('SignFile', request);
    if (answer.Status !== 0) throw new Error(`SignFile failed: ${answer.Message}`);
    viaService.push(seconds(start));
  }
  for (let i = 0; i < BLOCK; i++) {
    const start = process.hrtime.bigint();
    await signPdf(pdf, key, { level: 'B-B' });
    direct.push(seconds(start));
  }
  for (let i = 0; i < BLOCK; i++) {
    const start = process.hrtime.bigint();
    await ask('GetVersion', {});
    version.push(seconds(start));
  }
}

const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
const row = (name: string, samples: number[]): string => `${name.padEnd(34)} median ${ms(quantile(samples, 0.5)).padStart(9)}   p95 ${ms(quantile(samples, 0.95)).padStart(9)}`;
console.log(row('SignFile through the service', viaService));
console.log(row('signPdf alone (same bytes, key)', direct));
console.log(row('GetVersion round trip (TLS + WS)', version));
console.log(`ratio service / signPdf (median): ${(quantile(viaService, 0.5) / quantile(direct, 0.5)).toFixed(2)}; uploads received: ${site.uploads.length}`);

await service.close();
await site.close();
await session.logout().catch(() => undefined);
await finalizeAllModules();
