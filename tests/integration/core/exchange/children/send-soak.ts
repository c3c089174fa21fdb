// Child process for the exchange soak: runs the outbox's send jobs through the engine against the (faulty) proxy until the queue drains, printing a line per job event; the parent SIGKILLs it at random.
import { writeSync } from 'node:fs';
import { ExchangeClient, ExchangeEngine, storedUploadLocations, type ServerKey } from '../../../../../src/core/exchange/index.js';
import { createOutboxWorker, queueCounts, releaseDeadLeases, TokenKeySource } from '../../../../../src/core/outbox/index.js';
import { chooseCertificate, unlockCertificate } from '../../../../../src/core/signing/index.js';
import { open } from '../../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../../../src/core/trust/index.js';

const [dataDir, serverUrl, origin, module, token, cert, subCaPem, rootPem, serverKeyJson] = process.argv.slice(2);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const pin = Buffer.concat(chunks).toString('utf8').trim();
const say = (line: string): void => void writeSync(1, `${line}\n`);

const store = open(dataDir!, { integrity: 'skip' });
// The killed run's leases are released now rather than after their expiry.
releaseDeadLeases(store.db);
const choice = await chooseCertificate({ module: module!, token: token!, cert: cert!, chainFiles: [subCaPem!] });
const key = await unlockCertificate(choice, pin);
const client = new ExchangeClient({
  serverUrl: serverUrl!,
  origin: origin!,
  loginKey: () => key,
  uploads: storedUploadLocations(store.db),
  chunkBytes: Number(process.env.SOAK_CHUNK_BYTES ?? 32 * 1024),
  circuit: { failureThreshold: 4, openMs: 150, maxOpenMs: 1_000 },
});
const serverKey = JSON.parse(serverKeyJson!) as ServerKey;
const engine = new ExchangeEngine({
  client,
  store,
  trust: await trustStoreFrom({ pemOrDerFiles: [rootPem!] }),
  // The parent fetched the key directly: the receipt check does not depend on the faulty path.
  serverKey: async () => serverKey,
  pollMs: 200,
  idlePollMs: 2_000,
  maxReconnectMs: 1_000,
});
const worker = createOutboxWorker(store, {
  keys: new TokenKeySource(),
  hooks: engine.hooks,
  backoff: { baseMs: 30, maxMs: 600 },
  pollMs: 50,
  concurrency: 2,
  leaseMs: 4_000,
  onEvent: (e) => say(`event ${e.type} ${e.job.kind} ${e.job.id}`),
});
engine.attach(worker);
let offline = 0;
engine.on('online', (c) => {
  if (!c.online) offline++;
  say(`online ${c.online}`);
});
engine.on('progress', (p) => {
  if (p.type === 'sent' || p.type === 'status') say(`progress ${p.type} ${p.messageId}`);
});
engine.start();
await worker.drain({ maxWaitMs: 120_000 });
// The last statuses: sync until a round sees nothing new (the engine keeps trying through faults).
for (let round = 0; round < 50; round++) {
  let statuses = -1;
  engine.once('synced', (s) => (statuses = s.statuses));
  await engine.sync();
  if (statuses === 0) break;
}
await engine.stop();
say(`result ${JSON.stringify({ ...queueCounts(store.db), offline })}`);
store.close();
await choice.session.logout().catch(() => undefined);
await finalizeAllModules();
