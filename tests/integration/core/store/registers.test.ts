import { describe, expect, it } from 'vitest';
import {
  assignOutgoingNumber,
  createDocument,
  getDocument,
  open,
  registerIncoming,
  registerNumbers,
  transition,
  vietnamDate,
  type Store,
} from '../../../../src/core/store/index.js';
import { collect, sample, spawnChild, tempDir } from './kit.js';

const H14 = '000.00.14.H14';

function signed(store: Store, organId = H14): number {
  const { id } = createDocument(store.db, 'outgoing', sample({ organId }));
  transition(store.db, id, 'signed_by_leader');
  return id;
}

describe('outgoing register', () => {
  it('numbers from 01 per agency per year, restarting on 1 January in Vietnam time', () => {
    const store = open(tempDir());
    const dec31 = Date.parse('2025-12-31T10:00:00+07:00');
    const assigned = Array.from({ length: 11 }, () => assignOutgoingNumber(store.db, signed(store), { now: dec31 }));
    expect(assigned.map((a) => a.codeNumber)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']);
    expect(assigned[0]).toMatchObject({ number: 1, issuedDate: '2025-12-31', year: 2025 });

    // 17:30 UTC on 31 December is already 00:30 on 1 January in Hà Nội.
    const newYear = Date.parse('2025-12-31T17:30:00Z');
    const first = assignOutgoingNumber(store.db, signed(store), { now: newYear });
    expect(first).toEqual({ number: 1, codeNumber: '01', issuedDate: '2026-01-01', year: 2026 });
    // Another agency has its own register.
    expect(assignOutgoingNumber(store.db, signed(store, '000.00.00.G22'), { now: newYear }).number).toBe(1);
    expect(assignOutgoingNumber(store.db, signed(store), { now: newYear }).number).toBe(2);
    expect(registerNumbers(store.db, 'outgoing', H14, 2025)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(registerNumbers(store.db, 'outgoing', H14, 2026)).toEqual([1, 2]);
    store.close();
  });

  it('stamps the number and date on the document and refuses a second number', () => {
    const store = open(tempDir());
    const id = signed(store);
    assignOutgoingNumber(store.db, id, { now: Date.parse('2026-03-05T10:15:30+07:00') });
    expect(getDocument(store.db, id)).toMatchObject({ codeNumber: '01', issuedDate: '2026-03-05', organId: H14 });
    expect(() => assignOutgoingNumber(store.db, id)).toThrow(expect.objectContaining({ code: 'STORE_NUMBER_ALREADY_ASSIGNED' }));
    const draft = createDocument(store.db, 'outgoing', sample()).id;
    expect(() => assignOutgoingNumber(store.db, draft)).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    expect(registerNumbers(store.db, 'outgoing', H14, 2026)).toEqual([1]);
    store.close();
  });

  it('leaves no gap when the transaction around the number fails', () => {
    const store = open(tempDir());
    const now = Date.parse('2026-06-01T09:00:00+07:00');
    assignOutgoingNumber(store.db, signed(store), { now });
    const id = signed(store);
    // The caller's transaction (a later outbox insert, say) fails after the number was taken.
    expect(() =>
      store.db
        .transaction(() => {
          assignOutgoingNumber(store.db, id, { now });
          throw new Error('outbox insert failed');
        })
        .immediate(),
    ).toThrow('outbox insert failed');
    expect(getDocument(store.db, id).codeNumber).toBeUndefined();
    expect(assignOutgoingNumber(store.db, id, { now }).number).toBe(2);
    expect(registerNumbers(store.db, 'outgoing', H14, 2026)).toEqual([1, 2]);
    store.close();
  });

  it('is gap-free and duplicate-free with several processes issuing at once on one file', async () => {
    const dir = tempDir();
    open(dir).close();
    const processes = 6;
    const each = 40;
    const results = await Promise.all(Array.from({ length: processes }, () => collect(spawnChild('issue-numbers', [dir, String(each), H14]))));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const printed = results.flatMap((r) => r.stdout.split('\n').filter(Boolean).map(Number));
    const total = processes * each;
    expect(printed.toSorted((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    const store = open(dir);
    const { year } = vietnamDate(Date.now());
    expect(registerNumbers(store.db, 'outgoing', H14, year)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const stamped = store.db.prepare<unknown[], string>("SELECT code_number FROM documents WHERE direction = 'outgoing'").pluck().all();
    expect(new Set(stamped).size).toBe(total);
    store.close();
  }, 120_000);
  it('stays gap-free when processes issuing at once are killed with SIGKILL at random moments', async () => {
    const dir = tempDir();
    open(dir).close();
    const printed: number[] = [];
    for (let round = 0; round < 4; round++) {
      const children = Array.from({ length: 3 }, () => spawnChild('issue-forever', [dir, H14]));
      const results = children.map(collect);
      // Each child has committed a number before the kills start; one that dies first fails with what it said.
      await Promise.all(
        children.map(
          (c, i) =>
            new Promise<void>((resolve, reject) => {
              c.stdout!.once('data', () => resolve());
              c.once('exit', () => void results[i]!.then((r) => reject(new Error(`child ${c.pid} ended before its first number: ${r.stderr}`))));
            }),
        ),
      );
      for (const child of children) {
        await new Promise((r) => setTimeout(r, Math.random() * 80));
        child.kill('SIGKILL');
      }
      for (const r of await Promise.all(results)) {
        expect(r.signal, r.stderr).toBe('SIGKILL');
        printed.push(...r.stdout.split('\n').filter(Boolean).map(Number));
      }
    }
    const store = open(dir);
    const { year } = vietnamDate(Date.now());
    const numbers = registerNumbers(store.db, 'outgoing', H14, year);
    // Every committed number is there, the register runs 1..M, and its counter agrees.
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(new Set(printed).size).toBe(printed.length);
    for (const n of printed) expect(numbers).toContain(n);
    expect(store.db.prepare<unknown[], number>("SELECT last_number FROM register_counters WHERE kind = 'outgoing'").pluck().get()).toBe(numbers.length);
    expect(store.db.prepare<unknown[], number>("SELECT count(*) FROM documents WHERE code_number IS NOT NULL").pluck().get()).toBe(numbers.length);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  }, 120_000);
});

describe('incoming register', () => {
  it('numbers arrivals consecutively per receiving agency and year', () => {
    const store = open(tempDir());
    const now = Date.parse('2026-02-10T08:00:00+07:00');
    const numbers = Array.from({ length: 3 }, (_, i) => {
      const { id } = createDocument(store.db, 'incoming', sample({ codeNumber: String(i + 1), codeNotation: 'BNV-VP', organId: '000.00.18.G12' }));
      return registerIncoming(store.db, id, { organId: H14, now });
    });
    expect(numbers.map((n) => n.arrivalNumber)).toEqual([1, 2, 3]);
    expect(numbers[0]).toMatchObject({ arrivalDate: '2026-02-10', year: 2026, duplicates: [] });
    expect(registerNumbers(store.db, 'incoming', H14, 2026)).toEqual([1, 2, 3]);
    store.close();
  });

  it('warns about the same number, notation and issuing agency, ignoring leading zeros and case', () => {
    const store = open(tempDir());
    const key = { organId: '000.00.18.G12', codeNumber: '05', codeNotation: 'BNV-VP' };
    const first = createDocument(store.db, 'incoming', sample(key));
    expect(first.duplicates).toEqual([]);
    const second = createDocument(store.db, 'incoming', sample({ ...key, codeNumber: '5', codeNotation: 'bnv-vp' }));
    expect(second.duplicates.map((d) => d.id)).toEqual([first.id]);
    // Same number and notation from another agency is a different document.
    expect(createDocument(store.db, 'incoming', sample({ ...key, organId: '000.00.00.G22' })).duplicates).toEqual([]);
    const registered = registerIncoming(store.db, second.id, { organId: H14 });
    expect(registered.duplicates.map((d) => d.id)).toEqual([first.id]);

    const exchangeId = '000.00.18.G12,2026/02/10,07/BNV-VP';
    const a = createDocument(store.db, 'incoming', sample({ exchangeDocumentId: exchangeId, codeNumber: '07' }));
    expect(createDocument(store.db, 'incoming', sample({ exchangeDocumentId: exchangeId, codeNumber: '08' })).duplicates.map((d) => d.id)).toEqual([a.id]);
    store.close();
  });
});
