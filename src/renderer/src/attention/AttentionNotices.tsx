// The app frame's notification area: how many documents need attention, and a list of them (short reason each) that opens the document.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttentionViewDto } from '../../../shared/ipc/documents.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call } from '../bridge.js';
import { useNavigation } from '../navigation.js';

/** Looked at again this often, besides the exchange's events (a job can fail without one). */
const POLL_MS = 5_000;

/** A page that saw a document's trouble change (sent, refused, an action taken) tells the notification area at once. */
export const ATTENTION_CHANGED = 'vanthu-attention-changed';
export const attentionChanged = (): void => {
  window.dispatchEvent(new Event(ATTENTION_CHANGED));
};

export function AttentionNotices({ pollMs = POLL_MS }: { pollMs?: number }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [items, setItems] = useState<AttentionViewDto[]>([]);
  const [open, setOpen] = useState(false);
  const en = i18n.language === 'en';

  const load = useCallback(async () => {
    try {
      setItems((await call('attention.list', {})).items);
    } catch {
      // No store (the bare preview): nothing to tell.
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), pollMs);
    const offs = [window.vanthu.on('sync.changed', () => void load()), window.vanthu.on('sync.progress', () => void load())];
    const onChanged = () => void load();
    window.addEventListener(ATTENTION_CHANGED, onChanged);
    return () => {
      window.removeEventListener(ATTENTION_CHANGED, onChanged);
      clearInterval(timer);
      offs.forEach((off) => off());
    };
  }, [load, pollMs]);

  const count = items.length;
  return (
    <div className="attention-notices">
      <button type="button" className={count > 0 ? 'notices-button has-notices' : 'notices-button'} aria-expanded={open} aria-label={t('attention.noticesCount', { count })} onClick={() => setOpen(!open)}>
        {t('attention.notices')}
        {count > 0 && <span className="notices-badge">{count}</span>}
      </button>
      {open && (
        <div className="notices-list" role="region" aria-label={t('attention.noticesList')}>
          {count === 0 ? (
            <p>{t('attention.noticesEmpty')}</p>
          ) : (
            <ul>
              {items.map((item) => (
                <li key={item.documentId}>
                  <button
                    type="button"
                    onClick={() => {
                      setOpen(false);
                      navigate({ page: 'document', documentId: String(item.documentId) });
                    }}
                  >
                    <span className="notice-number">{item.numberNotation ?? t('attention.noNumber')}</span>
                    <span className="notice-subject">{item.subject}</span>
                    <span className="notice-reason">{en ? item.shortEn : item.shortVi}</span>
                    <time className="notice-time">{vietnamDateTime(new Date(item.since))}</time>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
