// The PDF viewer: one page on a canvas (pdf.js), page thumbnails drawn as they scroll into view, zoom, and paging by keyboard.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy, RenderTask } from './pdf.js';

/** The page as drawn: its size in PDF points and how many CSS pixels one point takes. */
export interface PageGeometry {
  page: number;
  scale: number;
  width: number;
  height: number;
}

const ZOOMS = [0.5, 0.6, 0.75, 0.9, 1, 1.25, 1.5, 2, 3];
const DEFAULT_ZOOM = 4;

/** The largest zoom step at which a page `pageWidth` points wide fits in `available` CSS pixels. */
export function fittingZoom(pageWidth: number, available: number): number {
  let best = 0;
  ZOOMS.forEach((zoom, index) => {
    if (pageWidth * zoom <= available && zoom <= 1.5) best = index;
  });
  return best;
}
const THUMB_WIDTH = 96;

interface Props {
  bytes: Uint8Array;
  page: number;
  onPageChange(page: number): void;
  /** Drawn over the page (the signature box), positioned in CSS pixels of the page. */
  overlay?: (geometry: PageGeometry) => ReactNode;
  onPageCount?(count: number): void;
  /** Called each time a page is drawn (page change, zoom), with its geometry. */
  onRendered?(geometry: PageGeometry): void;
}

async function loadPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js is loaded with the first document: the rest of the app starts without it.
  const { openPdf } = await import('./pdf.js');
  return openPdf(bytes);
}

export function PdfViewer({ bytes, page, onPageChange, overlay, onPageCount, onRendered }: Props) {
  const { t } = useTranslation();
  const [pdf, setPdf] = useState<PDFDocumentProxy>();
  const [error, setError] = useState<string>();
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const [geometry, setGeometry] = useState<PageGeometry>();
  const [rendered, setRendered] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const area = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const fitted = useRef(false);
  const destroying = useRef<Promise<unknown>>(Promise.resolve());
  // Set once the document's first page is drawn; stays while other pages or zooms are drawn.
  const [thumbnailsShown, setThumbnailsShown] = useState(false);
  const scale = ZOOMS[zoom]!;
  const count = pdf?.numPages ?? 0;

  useEffect(() => {
    let cancelled = false;
    let opened: PDFDocumentProxy | undefined;
    setError(undefined);
    // The previous document is destroyed below: nothing may draw from it while the new one opens.
    setPdf(undefined);
    setThumbnailsShown(false);
    // pdf.js shares one worker between documents: open the next one only once the last is torn down.
    destroying.current
      .then(() => loadPdf(bytes))
      .then(
      async (doc) => {
        opened = doc;
        if (cancelled) return void (destroying.current = doc.destroy().catch(() => undefined));
        if (!fitted.current) {
          // Start at the zoom that fits page 1's width in the viewer (A4 in a narrow window); a new
          // revision of the same file keeps the zoom the user chose.
          fitted.current = true;
          const first = await doc.getPage(1);
          const width = area.current?.clientWidth;
          if (width) setZoom(fittingZoom(first.getViewport({ scale: 1 }).width, width - 40));
        }
        if (cancelled) return;
        setPdf(doc);
        onPageCount?.(doc.numPages);
      },
      (failure: unknown) => !cancelled && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      cancelled = true;
      if (opened) destroying.current = opened.destroy().catch(() => undefined);
    };
    // onPageCount is a notification only; a new callback must not reopen the document.
  }, [bytes]);

  useEffect(() => {
    if (!pdf || !canvas.current) return;
    let task: RenderTask | undefined;
    let cancelled = false;
    setRendered(false);
    void (async () => {
      try {
        const proxy = await pdf.getPage(Math.min(Math.max(page, 1), pdf.numPages));
        if (cancelled || !canvas.current) return;
        const viewport = proxy.getViewport({ scale });
        const ratio = window.devicePixelRatio || 1;
        const target = canvas.current;
        target.width = Math.floor(viewport.width * ratio);
        target.height = Math.floor(viewport.height * ratio);
        target.style.width = `${Math.floor(viewport.width)}px`;
        target.style.height = `${Math.floor(viewport.height)}px`;
        const [, , width, height] = proxy.view as [number, number, number, number];
        task = proxy.render({ canvas: target, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
        await task.promise;
        if (cancelled) return;
        const drawn = { page: proxy.pageNumber, scale, width, height };
        setGeometry(drawn);
        setRendered(true);
        setThumbnailsShown(true);
        onRendered?.(drawn);
      } catch (failure) {
        // A render cancelled by the next page or zoom is not an error.
        if (!cancelled && !(failure instanceof Error && failure.name === 'RenderingCancelledException')) setError(String(failure));
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
    // onRendered is a notification only: a new callback must not draw the page again.
  }, [pdf, page, scale]);

  const go = (next: number) => {
    if (count > 0) onPageChange(Math.min(Math.max(next, 1), count));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      PageDown: () => go(page + 1),
      ArrowRight: () => go(page + 1),
      PageUp: () => go(page - 1),
      ArrowLeft: () => go(page - 1),
      Home: () => go(1),
      End: () => go(count),
      '+': () => setZoom((z) => Math.min(z + 1, ZOOMS.length - 1)),
      '=': () => setZoom((z) => Math.min(z + 1, ZOOMS.length - 1)),
      '-': () => setZoom((z) => Math.max(z - 1, 0)),
    };
    const action = keys[event.key];
    if (action && event.target === event.currentTarget) {
      event.preventDefault();
      action();
    }
  };

  if (error) return <p role="alert" className="error">{t('signing.pdfError', { detail: error })}</p>;
  return (
    <section className="pdf-viewer" aria-label={t('signing.viewer')}>
      <div className="pdf-toolbar" role="toolbar" aria-label={t('signing.viewer')}>
        <button type="button" onClick={() => go(page - 1)} disabled={page <= 1}>{t('signing.previousPage')}</button>
        <span aria-live="polite">{count > 0 ? t('signing.pageOf', { page, count }) : t('signing.loading')}</span>
        <button type="button" onClick={() => go(page + 1)} disabled={page >= count}>{t('signing.nextPage')}</button>
        <button type="button" onClick={() => setZoom((z) => Math.max(z - 1, 0))} disabled={zoom === 0}>{t('signing.zoomOut')}</button>
        <span>{t('signing.zoom', { percent: Math.round(scale * 100) })}</span>
        <button type="button" onClick={() => setZoom((z) => Math.min(z + 1, ZOOMS.length - 1))} disabled={zoom === ZOOMS.length - 1}>{t('signing.zoomIn')}</button>
      </div>
      <div className="pdf-body">
        {/* The column is there before the document, so the zoom fitted to the page area stays right; its
            buttons (one per page) come once the first page is drawn, which the user waits for. */}
        {pdf && thumbnailsShown ? <Thumbnails pdf={pdf} current={page} onPick={go} /> : <div className="pdf-thumbnails" />}
        <div ref={area} className="pdf-page-area" role="region" tabIndex={0} onKeyDown={onKeyDown} aria-label={t('signing.pageArea')} aria-describedby={hintId}>
          <p id={hintId} className="visually-hidden">{t('signing.keyboardHint')}</p>
          <div className="pdf-page">
            <canvas ref={canvas} role="img" aria-label={t('signing.pageCanvas', { page })} data-rendered-page={rendered ? page : undefined} />
            {rendered && geometry && overlay?.(geometry)}
          </div>
          {!rendered && <p role="status" className="pdf-rendering">{t('signing.rendering')}</p>}
        </div>
      </div>
    </section>
  );
}

function Thumbnails({ pdf, current, onPick }: { pdf: PDFDocumentProxy; current: number; onPick(page: number): void }) {
  const { t } = useTranslation();
  const pages = Array.from({ length: pdf.numPages }, (_, i) => i + 1);
  return (
    <nav className="pdf-thumbnails" aria-label={t('signing.thumbnails')}>
      <ol>
        {pages.map((n) => (
          <li key={n}>
            <button type="button" aria-current={n === current ? 'page' : undefined} aria-label={t('signing.thumbnail', { page: n })} onClick={() => onPick(n)}>
              <Thumbnail pdf={pdf} page={n} />
              <span aria-hidden="true">{n}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Thumbnail({ pdf, page }: { pdf: PDFDocumentProxy; page: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const target = canvas.current;
    if (!target) return;
    if (typeof IntersectionObserver === 'undefined') return void setVisible(page <= 10);
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [page]);

  useEffect(() => {
    if (!visible || !canvas.current) return;
    let task: RenderTask | undefined;
    let cancelled = false;
    void (async () => {
      try {
        const proxy = await pdf.getPage(page);
        if (cancelled || !canvas.current) return;
        const base = proxy.getViewport({ scale: 1 });
        const viewport = proxy.getViewport({ scale: THUMB_WIDTH / base.width });
        canvas.current.width = Math.floor(viewport.width);
        canvas.current.height = Math.floor(viewport.height);
        task = proxy.render({ canvas: canvas.current, viewport });
        await task.promise;
      } catch {
        // A thumbnail is a convenience: a page it cannot draw (or a document replaced meanwhile) stays blank.
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [visible, pdf, page]);

  return <canvas ref={canvas} className="thumb" width={THUMB_WIDTH} height={Math.round(THUMB_WIDTH * 1.414)} />;
}
