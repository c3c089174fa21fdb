// The live preview of the compose form: the engine's PDF (rendered in main) drawn page by page, refreshed once typing stops.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftInput } from '../../../shared/draft.js';
import { call, errorText } from '../bridge.js';
import { PdfViewer } from '../signing/PdfViewer.js';

/** Quiet time after the last keystroke before the draft is rendered again. */
export const PREVIEW_DELAY_MS = 600;

const decode = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export function DraftPreview({ draft }: { draft: DraftInput | null }) {
  const { t, i18n } = useTranslation();
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [pageCount, setPageCount] = useState(0);
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  // The draft's JSON is the key: a re-render of the form with the same content renders nothing.
  const key = draft === null ? null : JSON.stringify(draft);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    setPending(true);
    const timer = setTimeout(() => {
      call('drafting.render', { draft: JSON.parse(key) as DraftInput })
        .then((rendered) => {
          if (!live) return;
          setBytes(decode(rendered.contentBase64));
          setPageCount(rendered.pageCount);
          setPage((p) => Math.min(p, rendered.pageCount));
          setFailure(null);
        })
        .catch((e: unknown) => live && setFailure(e))
        .finally(() => live && setPending(false));
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  return (
    <section className="draft-preview" aria-labelledby="draft-preview-title">
      <h3 id="draft-preview-title">{t('documents.draft.previewTitle')}</h3>
      <p className="hint">{t('documents.draft.previewHint')}</p>
      <p role="status" className="draft-preview-status">
        {draft === null ? t('documents.draft.previewBlocked') : pending ? t('documents.draft.previewUpdating') : pageCount > 0 ? t('documents.draft.previewPages', { count: pageCount }) : ''}
      </p>
      {failure !== null && (
        <p role="alert" className="error">
          {errorText(failure, i18n.language)}
        </p>
      )}
      {bytes && <PdfViewer bytes={bytes} page={page} onPageChange={setPage} />}
    </section>
  );
}
