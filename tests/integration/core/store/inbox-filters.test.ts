// The inbox's "Đang theo dõi" and "Cần kiểm tra lại" as store queries over more documents than the inbox's first page (200): counts, order, paging.
import { describe, expect, it } from 'vitest';
import { flagHeld } from '../../../../src/core/exchange/index.js';
import {
  createDocument, currentAssignment, getDocument, inboxFilterCounts, listDocuments, listInboxFiltered, markDone, markProcessing, open, recordAssignment, registerIncoming, transition, type Db,
} from '../../../../src/core/store/index.js';
import { tempDir } from './kit.js';

const OURS = '000.00.01.H14';
const NOW = Date.parse('2026-12-07T03:00:00Z');

function incoming(db: Db, n: number): number {
  const { id } = createDocument(db, 'incoming', {
    organId: '000.00.00.H14', organName: 'UBND tỉnh Cao Bằng', codeNumber: String(n), codeNotation: 'UBND-VP', issuedDate: '2026-12-01', typeName: 'Công văn', subject: `Văn bản đến số ${n}`,
    recipients: [{ organId: OURS, organName: 'Sở Nội vụ' }],
  });
  return id;
}

function accepted(db: Db, n: number): number {
  const id = incoming(db, n);
  registerIncoming(db, id, { organId: OURS, now: NOW });
  transition(db, id, 'accepted', { now: NOW });
  return id;
}

describe('inbox filters in the store', () => {
  it('finds every tracked and held document, beyond the first 200, in deadline order, with counts and pages', () => {
    const store = open(tempDir());
    const db = store.db;
    const tracked: number[] = [];
    const held: number[] = [];
    const untracked: number[] = [];
    db.transaction(() => {
      for (let n = 1; n <= 230; n++) {
        const id = accepted(db, n);
        // Deadlines spread over January 2027, out of arrival order; every tenth in progress.
        recordAssignment(db, id, { leader: 'Chủ tịch', handler: `Phòng ${n % 7}`, deadline: `2027-01-${String(((n * 11) % 28) + 1).padStart(2, '0')}`, now: NOW });
        if (n % 10 === 0) markProcessing(db, id, { now: NOW });
        tracked.push(id);
      }
      // Reassigned: the deadline in force (the latest) orders it.
      recordAssignment(db, tracked[0]!, { handler: 'Phòng 9', deadline: '2027-02-15', now: NOW + 1 });
      for (let n = 231; n <= 240; n++) untracked.push(accepted(db, n)); // accepted, not assigned yet
      for (let n = 241; n <= 250; n++) {
        const id = accepted(db, n);
        recordAssignment(db, id, { handler: 'Phòng 1', deadline: '2027-01-02', now: NOW });
        markDone(db, id, { now: NOW });
        untracked.push(id);
      }
      for (let n = 251; n <= 460; n++) {
        const id = incoming(db, n);
        flagHeld(db, { documentId: id, messageId: `m-${n}`, reason: 'main.pdf: indeterminate (REVOCATION_UNKNOWN) — x' }, NOW);
        held.push(id);
      }
    })();

    expect(inboxFilterCounts(db)).toEqual({ tracking: 230, held: 210 });
    // The inbox's first page (200, newest first) holds none of the tracked ones: a filter over the page would miss them all.
    const firstPage = listDocuments(db, { direction: 'incoming', limit: 200 }).items.map((d) => d.id);
    expect(firstPage.filter((id) => tracked.includes(id))).toEqual([]);

    const all = listInboxFiltered(db, 'tracking', { limit: 500 });
    expect(all.total).toBe(230);
    expect(new Set(all.ids)).toEqual(new Set(tracked));
    const deadlines = all.ids.map((id) => currentAssignment(db, id)!.deadline!);
    expect(deadlines).toEqual([...deadlines].sort());
    expect(all.ids.at(-1)).toBe(tracked[0]);
    for (const id of all.ids) expect(['assigned', 'processing']).toContain(getDocument(db, id).state);

    // Two pages give the same list, once each.
    const first = listInboxFiltered(db, 'tracking', { limit: 200 });
    const second = listInboxFiltered(db, 'tracking', { limit: 200, offset: 200 });
    expect(first.ids).toHaveLength(200);
    expect([...first.ids, ...second.ids]).toEqual(all.ids);

    const heldList = listInboxFiltered(db, 'held', { limit: 500 });
    expect(heldList.total).toBe(210);
    expect(heldList.ids).toEqual([...held].reverse());
    for (const id of untracked) expect(all.ids).not.toContain(id);
    store.close();
  });
});
