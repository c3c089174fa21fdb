// The registers: tabs for outgoing, incoming, drafts, outbox and sent; search, a state filter, and the virtualized list.
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { incomingStates, outgoingStates } from '../../../shared/document.js';
import { documentViews, type DocumentView } from '../../../shared/ipc/documents.js';
import { errorText } from '../bridge.js';
import { documentStateWords, wordsLanguage } from '../common/status-words.js';
import { useNavigation } from '../navigation.js';
import { DocumentList } from './DocumentList.js';
import { RegisterPrintBar } from './RegisterPrintBar.js';
import { useRegister } from './useRegister.js';

/** Which states the filter offers in each view (the view already fixes some). */
const viewStates: Record<DocumentView, readonly string[]> = {
  outgoing: outgoingStates,
  incoming: incomingStates,
  drafts: [],
  outbox: ['queued', 'sending', 'failed', 'needs_attention'],
  sent: [],
};

/** Typing settles for this long before the search runs. */
const SEARCH_DELAY_MS = 250;
/** Events within this time make one refresh. */
const REFRESH_DELAY_MS = 300;

export function DocumentsPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [view, setView] = useState<DocumentView>('outgoing');
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [state, setState] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const register = useRegister({ view, query, state });
  // Live: a recipient's status changed or a document arrived; a burst of events makes one refresh.
  const { refresh } = register;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, REFRESH_DELAY_MS);
    };
    const off = [window.vanthu.on('documents.statusChanged', soon), window.vanthu.on('inbox.arrived', soon)];
    return () => {
      clearTimeout(timer);
      off.forEach((stop) => stop());
    };
  }, [refresh]);
  const open = useCallback((id: number) => navigate({ page: 'document', documentId: String(id) }), [navigate]);
  const language = wordsLanguage(i18n.language);

  const chooseView = (next: DocumentView) => {
    setView(next);
    if (!viewStates[next].includes(state)) setState('');
  };
  // Tabs per the WAI-ARIA pattern: arrow keys move between them.
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = documentViews.indexOf(view);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = documentViews[(index + step + documentViews.length) % documentViews.length]!;
    chooseView(next);
    document.getElementById(`register-tab-${next}`)?.focus();
  };

  return (
    <main className="documents-page">
      <div className="page-heading">
        <h2>{t('documents.title')}</h2>
        <button type="button" className="primary" onClick={() => navigate({ page: 'compose' })}>
          {t('documents.compose')}
        </button>
      </div>
      <div role="tablist" aria-label={t('documents.viewsLabel')} className="register-tabs">
        {documentViews.map((v) => (
          <button
            key={v}
            id={`register-tab-${v}`}
            type="button"
            role="tab"
            aria-selected={v === view}
            aria-controls="register-panel"
            tabIndex={v === view ? 0 : -1}
            onClick={() => chooseView(v)}
            onKeyDown={onTabKey}
          >
            {t(`documents.views.${v}`)}
          </button>
        ))}
      </div>
      <div id="register-panel" role="tabpanel" aria-labelledby={`register-tab-${view}`} className="register-panel">
        <div className="register-filters">
          <label>
            {t('documents.search')}
            <input type="search" value={typed} placeholder={t('documents.searchHint')} maxLength={200} onChange={(e) => setTyped(e.target.value)} />
          </label>
          {viewStates[view].length > 0 && (
            <label>
              {t('documents.stateFilter')}
              <select value={state} onChange={(e) => setState(e.target.value)}>
                <option value="">{t('documents.allStates')}</option>
                {viewStates[view].map((s) => (
                  <option key={s} value={s}>
                    {documentStateWords[language][s as keyof (typeof documentStateWords)['vi']]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p role="status" className="register-count">
            {register.total === null ? t('documents.loading') : t('documents.count', { count: register.total })}
          </p>
        </div>
        {(view === 'outgoing' || view === 'incoming') && <RegisterPrintBar key={view} kind={view} />}
        {register.error !== null && (
          <p role="alert" className="error">
            {errorText(register.error, i18n.language)}
          </p>
        )}
        {register.total === 0 ? (
          <p className="empty">{query.trim() ? t('documents.emptySearch', { query: query.trim() }) : t('documents.empty')}</p>
        ) : (
          register.total !== null && <DocumentList rowAt={register.rowAt} version={register.version} total={register.total} want={register.want} onOpen={open} />
        )}
      </div>
    </main>
  );
}
