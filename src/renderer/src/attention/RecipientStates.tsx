// Each recipient's state on the document page (waiting, sending, sent, 01 arrived, 02 returned with its reason, 03 …), updated live from the exchange's events.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentState, RecipientStatus } from '../../../shared/document.js';
import { call } from '../bridge.js';
import { RecipientStatusChip } from '../common/StatusChip.js';

export interface RecipientStatesProps {
  documentId: number;
  state: DocumentState;
  recipients: readonly { organId: string; organName: string; status: string | null }[];
  /** A status or a sending of this document happened: the page reloads it. */
  onChanged(): void;
}

/** Before a status code: what the sending itself is doing, from the document's state. */
function sendingWords(state: DocumentState): 'recipientQueued' | 'recipientSending' | 'recipientSent' | 'recipientAttention' | 'recipientNotSent' {
  if (state === 'queued') return 'recipientQueued';
  if (state === 'sending') return 'recipientSending';
  if (state === 'sent') return 'recipientSent';
  if (state === 'needs_attention' || state === 'failed') return 'recipientAttention';
  return 'recipientNotSent';
}

export function RecipientStates({ documentId, state, recipients, onChanged }: RecipientStatesProps) {
  const { t } = useTranslation();
  const [reasons, setReasons] = useState<Map<string, string>>(new Map());

  useEffect(() => {
    const offs = [
      window.vanthu.on('documents.statusChanged', (event) => event.documentId === documentId && onChanged()),
      window.vanthu.on('sync.progress', (event) => event.documentId === documentId && event.type === 'sent' && onChanged()),
    ];
    return () => offs.forEach((off) => off());
  }, [documentId, onChanged]);

  // A returned document (02) carries the recipient's reason in the history.
  const returned = recipients.filter((r) => r.status === '02').map((r) => r.organId).join(',');
  useEffect(() => {
    if (!returned) return;
    let live = true;
    call('documents.get', { id: documentId })
      .then(({ history }) => {
        const found = new Map<string, string>();
        for (const h of history) if (h.kind === 'recipient_status' && h.to === '02' && h.recipientOrganId && h.reason) found.set(h.recipientOrganId, h.reason);
        if (live) setReasons(found);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [documentId, returned]);

  return (
    <section className="recipient-states" aria-labelledby="recipient-states-title">
      <h3 id="recipient-states-title">{t('attention.recipientsTitle')}</h3>
      <ul>
        {recipients.map((r) => (
          <li key={r.organId} data-organ-id={r.organId}>
            <span className="recipient-name">{r.organName}</span> <span className="organ-id">{r.organId}</span>{' '}
            {r.status === null ? (
              <span className={`chip chip-${state === 'needs_attention' ? 'bad' : 'neutral'}`} data-status={state}>
                {t(`attention.${sendingWords(state)}`)}
              </span>
            ) : (
              <RecipientStatusChip status={r.status as RecipientStatus} />
            )}
            {reasons.get(r.organId) && <span className="recipient-reason">{t('attention.recipientReason', { reason: reasons.get(r.organId) })}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
