// Child process: bulkSign over the given documents with the PIN read from stdin, printing "progress <done> <total>" as it goes and "result <json>" at the end.
import { readFileSync, writeSync } from 'node:fs';
import { bulkSign } from '../../../../../src/core/outbox/index.js';
import type { SigningLevel } from '../../../../../src/core/signing/index.js';
import { open } from '../../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../../src/core/token/index.js';
import { discPng } from '../../../../kit/pdf-tools.js';

const [dataDir, module, label, cert, subCaDer, idsText, level, tsaUrl] = process.argv.slice(2);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const pin = Buffer.concat(chunks).toString('utf8').trim();

const store = open(dataDir!, { integrity: 'skip' });
const result = await bulkSign(
  store,
  idsText!.split(',').map(Number),
  {
    token: { module: module!, label: label!, cert: cert! },
    appearance: 'leader',
    level: (level ?? 'B-B') as SigningLevel,
    ...(tsaUrl ? { tsaUrl } : {}),
    image: discPng(120, [20, 40, 200]),
    page: 1,
    rect: [350, 100, 150, 75],
    chain: [new Uint8Array(readFileSync(subCaDer!))],
    concurrency: 2,
    leaseMs: 10_000,
  },
  pin,
  (p) => writeSync(1, `progress ${p.done} ${p.total}\n`),
);
writeSync(1, `result ${JSON.stringify(result)}\n`);
store.close();
await finalizeAllModules();
