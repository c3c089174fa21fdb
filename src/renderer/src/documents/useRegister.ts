// Loads a register view in pages around the rows in view: the next page by keyset cursor, a far jump by offset; a new view, search or filter starts over.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentSummaryDto, DocumentView } from '../../../shared/ipc/documents.js';
import { call } from '../bridge.js';

/** The largest page main serves: fewer round trips when the user scrolls far. */
export const PAGE_SIZE = 500;

export interface RegisterFilter {
  view: DocumentView;
  query: string;
  state: string;
}

export interface Register {
  /** How many documents match (known after the first page). */
  total: number | null;
  /** Changes whenever a page arrives, so the list re-renders; rows are read with rowAt. */
  version: number;
  loading: boolean;
  error: unknown;
  rowAt(index: number): DocumentSummaryDto | undefined;
  /** The rows from..to are in view (with margins): fetch the pages they fall in. */
  want(from: number, to: number): void;
  reload(): void;
  /** Fetches the pages in view again, keeping what is shown until they arrive (a status changed, a document arrived). */
  refresh(): void;
}

interface Paging {
  generation: number;
  pages: Map<number, DocumentSummaryDto[]>;
  /** After a refresh, the pages shown before, until their fresh copies arrive (no flash of placeholders). */
  stale: Map<number, DocumentSummaryDto[]>;
  /** nextCursor after each loaded page: the page after it is then fetched by cursor, an index range scan. */
  cursors: Map<number, number | null>;
  total: number | null;
  from: number;
  to: number;
  running: boolean;
}

const filterKey = (f: RegisterFilter): string => JSON.stringify([f.view, f.query.trim(), f.state]);

const fresh = (generation: number): Paging => ({ generation, pages: new Map(), stale: new Map(), cursors: new Map(), total: null, from: 0, to: 0, running: false });

export function useRegister(filter: RegisterFilter): Register {
  const [view, setView] = useState({ total: null as number | null, version: 0, loading: true, error: null as unknown, key: '' });
  const paging = useRef<Paging>(fresh(0));
  const filterRef = useRef(filter);
  filterRef.current = filter;

  /** The first page not loaded among those the wanted rows fall in (page 0 first: it brings the total). */
  const nextMissing = (p: Paging): number | undefined => {
    if (!p.pages.has(0)) return 0;
    const last = Math.min(Math.floor(p.to / PAGE_SIZE), Math.floor(Math.max((p.total ?? 1) - 1, 0) / PAGE_SIZE));
    for (let page = Math.floor(p.from / PAGE_SIZE); page <= last; page++) if (!p.pages.has(page)) return page;
    return undefined;
  };

  const pump = useCallback(async () => {
    const p = paging.current;
    if (p.running) return;
    p.running = true;
    try {
      for (let page = nextMissing(p); page !== undefined && p === paging.current; page = nextMissing(p)) {
        setView((v) => (v.loading ? v : { ...v, loading: true }));
        const { view: register, query, state } = filterRef.current;
        const cursor = page > 0 ? p.cursors.get(page - 1) : undefined;
        const result = await call('documents.list', {
          view: register,
          ...(query.trim() ? { query: query.trim() } : {}),
          ...(state ? { state } : {}),
          ...(page === 0 ? {} : typeof cursor === 'number' ? { cursor } : { offset: page * PAGE_SIZE }),
          limit: PAGE_SIZE,
        });
        if (p !== paging.current) return;
        p.pages.set(page, result.items);
        p.cursors.set(page, result.nextCursor);
        if (page === 0) p.total = result.total ?? result.items.length;
        const total = p.total;
        const key = filterKey(filterRef.current);
        setView((v) => ({ total, version: v.version + 1, loading: false, error: null, key }));
      }
    } catch (error) {
      if (p === paging.current) setView((v) => ({ ...v, loading: false, error }));
    } finally {
      p.running = false;
    }
  }, []);

  const reload = useCallback(() => {
    paging.current = fresh(paging.current.generation + 1);
    setView((v) => ({ total: null, version: v.version + 1, loading: true, error: null, key: '' }));
    void pump();
  }, [pump]);

  useEffect(reload, [filter.view, filter.query, filter.state, reload]);

  const refresh = useCallback(() => {
    const old = paging.current;
    paging.current = { ...fresh(old.generation + 1), from: old.from, to: old.to, total: old.total, stale: new Map([...old.stale, ...old.pages]) };
    void pump();
  }, [pump]);

  const want = useCallback(
    (from: number, to: number) => {
      const p = paging.current;
      if (from === p.from && to === p.to) return;
      p.from = Math.max(0, from);
      p.to = Math.max(p.from, to);
      void pump();
    },
    [pump],
  );

  const rowAt = useCallback((index: number) => {
    const page = Math.floor(index / PAGE_SIZE);
    const p = paging.current;
    return (p.pages.get(page) ?? p.stale.get(page))?.[index % PAGE_SIZE];
  }, []);

  // Between a new filter and its first page, the old total would say "nothing found" for the new search.
  const current = view.key === filterKey(filter);
  return { total: current ? view.total : null, version: view.version, loading: view.loading || !current, error: view.error, rowAt, want, reload, refresh };
}
