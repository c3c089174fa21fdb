// The virtualized register list: only the rows in view are in the DOM, so 100,000 documents scroll like 100; arrow keys move between rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummaryDto } from '../../../shared/ipc/documents.js';
import { DocumentRow } from './DocumentRow.js';

export const ROW_HEIGHT = 64;
/** How far past the last row in view pages are fetched, so scrolling rarely meets a placeholder. */
const PREFETCH_ROWS = 400;
/** And behind it, for a jump followed by scrolling back up. */
const PREFETCH_BEHIND = 50;

export interface DocumentListProps {
  /** The row at an index, or undefined while its page loads. */
  rowAt(index: number): DocumentSummaryDto | undefined;
  /** Bumped when pages arrive: the rows read through rowAt are then re-read. */
  version: number;
  total: number;
  want(from: number, to: number): void;
  onOpen(id: number): void;
}

export function DocumentList({ rowAt, version: _version, total, want, onOpen }: DocumentListProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // Before the first measurement (and in component tests without layout), assume a window-sized list.
    initialRect: { width: 800, height: 600 },
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows.at(-1)?.index ?? 0;
  useEffect(() => want(first - PREFETCH_BEHIND, last + PREFETCH_ROWS), [first, last, want]);

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.min(Math.max(index, 0), total - 1);
      virtualizer.scrollToIndex(target, { align: 'auto' });
      // The row may only exist after the virtualizer re-renders.
      const focus = (tries: number) => {
        const row = scroller.current?.querySelector<HTMLButtonElement>(`[data-row-index="${target}"]`);
        if (row) row.focus();
        else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
      };
      focus(10);
    },
    [total, virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!current) return;
    const index = Number(current.dataset.rowIndex);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: total - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusRow(next);
  };

  return (
    <div className="document-list" ref={scroller} onKeyDown={onKeyDown}>
      <div role="list" aria-label={t('documents.listLabel')} aria-rowcount={total} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const document = rowAt(row.index);
          return (
            <div
              key={row.key}
              role="listitem"
              className="document-list-item"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
            >
              {document ? <DocumentRow document={document} index={row.index} onOpen={onOpen} /> : <div className="document-row placeholder" aria-busy="true">{t('documents.loading')}</div>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
