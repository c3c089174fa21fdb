// Soak: OUTBOX_SOAK_COUNT documents (default 30; `npm run soak` runs 1,000) bulk-signed by child processes SIGKILLed at random moments until the batch ends.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory, listJobs, seededRandom } from '../../../../src/core/outbox/index.js';
import { getDocument, listFiles, open, readLatest, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../../kit/pki.js';
import { collect, draftWithPdf, sleep, spawnChild, tempDir } from './kit.js';

const pki = usePrivateTokens();
const COUNT = Number(process.env.OUTBOX_SOAK_COUNT ?? 30);
const SEED = Number(process.env.OUTBOX_SOAK_SEED ?? 20_260_305);
// The first MIN_KILLS runs are killed early (a child cannot finish in that time); later ones get longer and may end the batch.
const MIN_KILLS = Number(process.env.OUTBOX_SOAK_MIN_KILLS ?? 3);
// Every 25th document (from the 13th) is not a PDF: it must fail alone, every run.
const isCorrupt = (i: number): boolean => i % 25 === 12;
const FIXTURES = ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf', 'incrementally-updated.pdf', 'with-form.pdf', 'linearized.pdf'];

let trust: TrustStore;
beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
});
afterAll(finalizeAllModules);

/** Resolves once the child has printed `count` progress lines (never, if it exits first: the race has the exit). */
function progressLines(child: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      seen += parts.filter((l) => l.startsWith('progress ')).length;
      if (seen >= count) resolve();
    });
  });
}

/** Checked after every kill: whatever the moment, no document carries two leader signatures and the file is sound. */
function checkNoDuplicates(store: Store, ids: number[]): number {
  let signed = 0;
  for (const id of ids) {
    const leader = listFiles(store.db, id)[0]!.revisions.filter((r) => r.signatureKind === 'leader').length;
    expect(leader, `document ${id}`).toBeLessThanOrEqual(1);
    signed += leader;
  }
  expect(store.db.pragma('quick_check', { simple: true })).toBe('ok');
  return signed;
}

describe(`outbox soak (${COUNT} documents)`, () => {
  it(
    'loses no document and signs none twice across random SIGKILLs of the signing process',
    async () => {
      const random = seededRandom(SEED);
      const dir = tempDir();
      const store = open(dir);
      const ids = Array.from({ length: COUNT }, (_, i) =>
        draftWithPdf(
          store,
          isCorrupt(i) ? new TextEncoder().encode(`%PDF-1.7\nhỏng ${i}\n`) : fixture(FIXTURES[i % FIXTURES.length]!),
          `Văn bản kiểm thử độ bền số ${i + 1}`,
        ).id,
      );
      const corrupt = ids.filter((_, i) => isCorrupt(i)).length;
      const started = Date.now();
      let runs = 0;
      let kills = 0;
      let finished = false;
      const signedAfterKill: number[] = [];
      // Documents a forced run signs on average before its kill: MIN_KILLS kills cover about half the batch.
      const perForcedRun = Math.max(1, Math.round(COUNT / MIN_KILLS / 2));
      while (!finished) {
        runs++;
        expect(runs, 'the batch should end within a bounded number of runs').toBeLessThan(50 + MIN_KILLS + COUNT);
        const child = spawnChild('bulk-sign', [dir, pki.module, 'VANTHU LEADER', 'leader-rsa', pki.subCaDer, ids.join(','), 'B-B'], { stdin: `${pki.userPin}\n` });
        const done = collect(child);
        // Killed at a random moment: one run in five while starting or logging in, the others once signing has begun
        // (mid-signature, mid-commit); after the first MIN_KILLS, runs get longer and one ends the batch.
        // A child prints about three progress lines per document, so killing after N lines lands about N/3 documents in,
        // plus a few milliseconds to land inside a signature or a commit rather than between them.
        const early = random() < 0.2;
        const lines = 1 + Math.floor(random() * 6 * (kills < MIN_KILLS ? perForcedRun : COUNT));
        const moment = early ? sleep(random() * 1_500) : progressLines(child, lines).then(() => sleep(random() * 40));
        const outcome = await Promise.race([done.then(() => 'exited' as const), moment.then(() => 'kill' as const)]);
        if (outcome === 'kill') child.kill('SIGKILL');
        const result = await done;
        if (result.signal === 'SIGKILL') {
          kills++;
          signedAfterKill.push(checkNoDuplicates(store, ids));
          continue;
        }
        expect(result.code, result.stderr).toBe(0);
        const line = result.stdout.split('\n').find((l) => l.startsWith('result '));
        expect(line, result.stdout).toBeDefined();
        const summary = JSON.parse(line!.slice(7)) as { signed: number; failed: number; waiting: number };
        finished = summary.waiting === 0 && summary.signed + summary.failed === COUNT;
      }
      const elapsed = (Date.now() - started) / 1000;

      // Every good document signed exactly once and valid; every corrupt one needs attention; no job succeeded twice.
      expect(checkNoDuplicates(store, ids)).toBe(COUNT - corrupt);
      const jobs = listJobs(store.db, { kind: 'sign' });
      expect(jobs).toHaveLength(COUNT);
      let takenOver = 0;
      for (const job of jobs) {
        const history = jobHistory(store.db, job.id);
        expect(history.filter((h) => h.event === 'succeeded').length).toBe(job.state === 'done' ? 1 : 0);
        if (history.some((h) => h.event === 'lease_expired')) takenOver++;
      }
      expect(jobs.filter((j) => j.state === 'done')).toHaveLength(COUNT - corrupt);
      expect(jobs.filter((j) => j.state === 'needs_attention').map((j) => j.documentId)).toEqual(ids.filter((_, i) => isCorrupt(i)));
      for (const [i, id] of ids.entries()) {
        expect(getDocument(store.db, id).state).toBe(isCorrupt(i) ? 'needs_attention' : 'signed_by_leader');
        if (isCorrupt(i)) continue;
        const report = await validatePdf(readLatest(store.db, store.blobs, listFiles(store.db, id)[0]!.id), { trust, online: true });
        expect(report.signatures.filter((s) => s.kind === 'signature').map((s) => s.verdict), `document ${id}`).toEqual(['valid']);
      }
      // No half-written file: every row's file is whole (hash checked); files a kill left without a row are set aside.
      const integrity = store.checkIntegrity({ verifyHashes: true, minOrphanAgeMs: 0 });
      expect(integrity.needsAttention).toEqual([]);

      const figures = {
        documents: COUNT,
        corrupt,
        runs,
        kills,
        jobsTakenOverAfterAKill: takenOver,
        seconds: Number(elapsed.toFixed(1)),
        documentsPerSecond: Number((COUNT / elapsed).toFixed(2)),
        signedAtEachKill: signedAfterKill.join(','),
        orphanFilesSetAside: integrity.orphansQuarantined.length,
        tempFilesRemoved: integrity.tempFilesRemoved,
        seed: SEED,
        databaseFile: path.basename(store.db.name),
      };
      console.log(`outbox soak: ${JSON.stringify(figures)}`);
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
      store.close();
    },
    120_000 + COUNT * 1_500 + MIN_KILLS * 3_000,
  );
});

