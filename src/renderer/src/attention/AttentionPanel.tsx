// The document page's attention panel: why the document needs a person (in the app's language), when it happened (Vietnam time), and the actions that fit.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recipient } from '../../../shared/document.js';
import type { AttentionViewDto, RecipientContactDto } from '../../../shared/ipc/documents.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call, errorText } from '../bridge.js';
import { RecipientPicker } from '../documents/RecipientPicker.js';
import { useNavigation } from '../navigation.js';
import { attentionChanged } from './AttentionNotices.js';

type Action = AttentionViewDto['actions'][number];

export interface AttentionPanelProps {
  documentId: number;
  /** Bumped by the page when something may have changed (a send, an event). */
  refreshKey?: number;
  /** After an action: the page reloads the document. */
  onChanged(): void;
}

export function AttentionPanel({ documentId, refreshKey = 0, onChanged }: AttentionPanelProps) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [attention, setAttention] = useState<AttentionViewDto | null>(null);
  const [contacts, setContacts] = useState<RecipientContactDto[]>([]);
  const [open, setOpen] = useState<'edit' | 'contact' | null>(null);
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState<string>();
  const en = i18n.language === 'en';
  /** What the panel last showed: when it changes, the notification area looks again at once. */
  const lastSeen = useRef('');

  const load = useCallback(async () => {
    try {
      const answer = await call('attention.get', { id: documentId });
      const seen = answer.attention ? `${answer.attention.kind}:${answer.attention.cause}` : '';
      if (seen !== lastSeen.current) {
        lastSeen.current = seen;
        attentionChanged();
      }
      setAttention(answer.attention);
      setContacts(answer.contacts);
    } catch (failure) {
      setError(errorText(failure, i18n.language));
    }
  }, [documentId, i18n.language]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  async function act(action: 'retry' | 'cancel' | 'resign' | 'resend') {
    if (action === 'cancel' && !window.confirm(t('attention.cancelConfirm'))) return;
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'resend') await call('attention.resend', { id: documentId, recipients });
      else await call(`attention.${action}`, { id: documentId });
      setNotice(t(`attention.done.${action}`));
      setOpen(null);
      await load();
      onChanged();
    } catch (failure) {
      setError(errorText(failure, i18n.language));
    } finally {
      setBusy(false);
    }
  }

  function choose(action: Action) {
    setNotice(undefined);
    if (action === 'retry' || action === 'cancel' || action === 'resign') void act(action);
    else if (action === 'edit_recipients') {
      setRecipients(attention?.recipients ?? []);
      setOpen(open === 'edit' ? null : 'edit');
    } else if (action === 'contact') setOpen(open === 'contact' ? null : 'contact');
    // The exchange login (the agency token's PIN) lives on the incoming documents page's connection bar.
    else navigate({ page: 'inbox' });
  }

  async function copy(contact: RecipientContactDto) {
    const text = [contact.name, `${t('attention.organId')}: ${contact.organId}`, contact.parent ? `${t('attention.parent')}: ${contact.parent}` : null].filter(Boolean).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      setCopied(contact.organId);
    } catch (failure) {
      setError(errorText(failure, i18n.language));
    }
  }

  if (!attention) {
    return notice ? <p role="status" className="notice">{notice}</p> : null;
  }

  const title = attention.kind === 'needs_attention' ? t('attention.panelTitle') : attention.kind === 'retrying' ? t('attention.retryingTitle') : t('attention.waitingTitle');
  return (
    <section className={`attention-panel attention-${attention.kind}`} aria-labelledby="attention-title" data-cause={attention.cause}>
      <h3 id="attention-title">{title}</h3>
      <p className="attention-reason-full">{en ? attention.en : attention.vi}</p>
      <p className="attention-when">
        {t('attention.since')}: <time>{vietnamDateTime(new Date(attention.since))}</time>
        {attention.nextRetryAt !== null && (
          <>
            {' · '}
            {t('attention.nextRetry')}: <time>{vietnamDateTime(new Date(attention.nextRetryAt))}</time>
          </>
        )}
      </p>
      <div className="attention-actions" role="group" aria-label={t('attention.actions')}>
        {attention.actions.map((action) => (
          <button key={action} type="button" disabled={busy} aria-expanded={action === 'edit_recipients' ? open === 'edit' : action === 'contact' ? open === 'contact' : undefined} onClick={() => choose(action)}>
            {t(`attention.action.${action}`)}
          </button>
        ))}
      </div>
      {notice && <p role="status" className="notice">{notice}</p>}
      {error && <p role="alert" className="error">{error}</p>}

      {open === 'edit' && (
        <div className="attention-edit">
          <h4>{t('attention.editTitle')}</h4>
          <RecipientPicker recipients={recipients} onChange={setRecipients} />
          <div className="dialog-buttons">
            <button type="button" disabled={busy || recipients.length === 0} onClick={() => void act('resend')}>{t('attention.resend')}</button>
            <button type="button" onClick={() => setOpen(null)}>{t('attention.closeEdit')}</button>
          </div>
        </div>
      )}

      {open === 'contact' && (
        <div className="attention-contacts">
          <h4>{t('attention.contactTitle')}</h4>
          <ul>
            {contacts.map((c) => (
              <li key={c.organId}>
                <strong>{c.name}</strong> <span>{`${t('attention.organId')}: ${c.organId}`}</span>
                {c.parent && <span>{` · ${t('attention.parent')}: ${c.parent}`}</span>}
                {!c.inDirectory && <span className="chip chip-bad">{t('attention.notInDirectory')}</span>}{' '}
                <button type="button" onClick={() => void copy(c)}>{copied === c.organId ? t('attention.copied') : t('attention.copy')}</button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
