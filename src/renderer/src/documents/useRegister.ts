// Loads a register view page by page (keyset cursor) as the list scrolls; a new view, search or filter starts over.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentSummaryDto, DocumentView } from '../../../shared/ipc/documents.js';
import { call } from '../bridge.js';

/** The largest page main serves: fewer round trips when the user scrolls far. */
export const PAGE_SIZE = 500;

export interface RegisterState {
  items: DocumentSummaryDto[];
  /** Rows loaded so far: changes with every page, while `items` stays the same array. */
  loaded: number;
  /** How many documents match (known after the first page). */
  total: number | null;
  loading: boolean;
  error: unknown;
}

export interface RegisterFilter {
  view: DocumentView;
  query: string;
  state: string;
}

export function useRegister(filter: RegisterFilter): RegisterState & { loadUntil(index: number): void; reload(): void } {
  const [state, setState] = useState<RegisterState>({ items: [], loaded: 0, total: null, loading: true, error: null });
  // Mutable paging state: read by the loop without re-rendering on every page.
  const paging = useRef({ generation: 0, items: [] as DocumentSummaryDto[], cursor: null as number | null, done: false, running: false, wanted: 0 });
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const pump = useCallback(async () => {
    const p = paging.current;
    if (p.running) return;
    p.running = true;
    const generation = p.generation;
    try {
      // Fetch pages one after the other until the wanted row is loaded: keyset pages cannot skip ahead.
      while (!p.done && p.items.length <= p.wanted && generation === p.generation) {
        setState((s) => ({ ...s, loading: true }));
        const { view, query, state: docState } = filterRef.current;
        const first = p.items.length === 0;
        const page = await call('documents.list', {
          view,
          ...(query.trim() ? { query: query.trim() } : {}),
          ...(docState ? { state: docState } : {}),
          ...(first ? {} : { cursor: p.cursor }),
          limit: PAGE_SIZE,
        });
        if (generation !== p.generation) return;
        // Appended in place (copying 100,000 rows for each page would cost more than the page); the
        // state change below re-renders the list, whose rows read the array by index.
        for (const item of page.items) p.items.push(item);
        p.cursor = page.nextCursor;
        p.done = page.nextCursor === null;
        const items = p.items;
        const loaded = items.length;
        setState((s) => ({ items, loaded, total: first ? (page.total ?? loaded) : p.done ? loaded : s.total, loading: false, error: null }));
      }
    } catch (error) {
      if (generation === p.generation) setState((s) => ({ ...s, loading: false, error }));
    } finally {
      if (generation === p.generation) p.running = false;
    }
  }, []);

  const reload = useCallback(() => {
    const p = paging.current;
    paging.current = { generation: p.generation + 1, items: [], cursor: null, done: false, running: false, wanted: 0 };
    setState({ items: [], loaded: 0, total: null, loading: true, error: null });
    void pump();
  }, [pump]);

  useEffect(reload, [filter.view, filter.query, filter.state, reload]);

  const loadUntil = useCallback(
    (index: number) => {
      const p = paging.current;
      if (index <= p.wanted) return;
      p.wanted = index;
      void pump();
    },
    [pump],
  );

  return { ...state, loadUntil, reload };
}
