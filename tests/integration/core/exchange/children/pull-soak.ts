// Child process for the exchange soak: the recipient pulling its inbox in a loop through its (faulty) proxy, replying 01 then 03 (01 only for a document it holds), until the parent SIGKILLs it.
import { writeSync } from 'node:fs';
import { ExchangeClient, pullInbox, type ExchangeProgress } from '../../../../../src/core/exchange/index.js';
import { chooseCertificate, unlockCertificate } from '../../../../../src/core/signing/index.js';
import { open } from '../../../../../src/core/store/index.js';
import { trustStoreFrom } from '../../../../../src/core/trust/index.js';

const [dataDir, serverUrl, origin, module, token, cert, subCaPem, rootPem] = process.argv.slice(2);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const pin = Buffer.concat(chunks).toString('utf8').trim();
const say = (line: string): void => void writeSync(1, `${line}\n`);

const store = open(dataDir!, { integrity: 'skip' });
const choice = await chooseCertificate({ module: module!, token: token!, cert: cert!, chainFiles: [subCaPem!] });
const key = await unlockCertificate(choice, pin);
const trust = await trustStoreFrom({ pemOrDerFiles: [rootPem!] });
const client = new ExchangeClient({ serverUrl: serverUrl!, origin: origin!, loginKey: () => key, circuit: { failureThreshold: 4, openMs: 150, maxOpenMs: 1_000 } });
/** Each document taken in (and whether it is held), and each one returned with why: the parent reads these lines. */
const report = (p: ExchangeProgress): void => {
  if (p.type === 'received') say(`received ${p.messageId}${p.heldFor !== undefined ? ' held' : ''}`);
  if (p.type === 'rejected') say(`rejected ${p.messageId} ${p.reason.replace(/\s+/g, ' ')}`);
};
say('ready');
for (;;) {
  try {
    const result = await pullInbox(client, store, { trust, online: true, autoReply: 'accepted', onProgress: report });
    say(`pulled ${result.stored.length} ${result.deferred.length} held ${result.held.length}`);
  } catch (error) {
    say(`error ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
}
