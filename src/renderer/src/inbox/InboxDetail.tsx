// One incoming document: its metadata, the signature panel of each file in words, the clerk's actions (register, accept, reject with a reason) and its processing.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { heldReasonText } from '../../../shared/held-reason.js';
import type { InboxDetail as Detail } from '../../../shared/ipc/exchange.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call, errorText } from '../bridge.js';
import { DocumentStateChip } from '../common/StatusChip.js';
import { SignatureReport } from '../verify/SignatureReport.js';
import { ProcessingPanel } from './ProcessingPanel.js';
import { RejectForm } from './RejectForm.js';

export function InboxDetail({ documentId, onChanged, onClose }: { documentId: number; onChanged: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await call('inbox.get', { documentId }));
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    }
  }, [documentId, i18n.language]);

  useEffect(() => {
    setDetail(null);
    setNotice(null);
    setFailure(null);
    setRejecting(false);
    void load();
  }, [load]);

  const act = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      setNotice(await work());
      await load();
      onChanged();
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  if (!detail) {
    return failure ? (
      <p role="alert" className="error">
        {failure}
      </p>
    ) : null;
  }
  const canAnswer = detail.state === 'received' || detail.state === 'registered';
  const notation = [detail.codeNumber, detail.codeNotation].filter(Boolean).join('/');
  return (
    <article className="inbox-detail" aria-labelledby="inbox-detail-heading">
      <div className="page-heading">
        <h3 id="inbox-detail-heading">{detail.subject}</h3>
        <button type="button" onClick={onClose}>
          {t('exchange.close')}
        </button>
      </div>
      <dl className="inbox-metadata">
        <dt>{t('exchange.from')}</dt>
        <dd>{detail.organName ?? detail.organId ?? '—'}</dd>
        <dt>{t('exchange.notation')}</dt>
        <dd>{notation || '—'}</dd>
        <dt>{t('exchange.issuedDate')}</dt>
        <dd>{detail.issuedDate ? vietnamDate(detail.issuedDate) : '—'}</dd>
        {detail.typeName && (
          <>
            <dt>{t('exchange.typeName')}</dt>
            <dd>{detail.typeName}</dd>
          </>
        )}
        {detail.signer && (
          <>
            <dt>{t('exchange.signer')}</dt>
            <dd>{detail.signer}</dd>
          </>
        )}
        <dt>{t('exchange.arrival')}</dt>
        <dd>{detail.arrivalNumber !== null ? t('exchange.arrivalValue', { number: detail.arrivalNumber, date: detail.arrivalDate ? vietnamDate(detail.arrivalDate) : '—' }) : t('exchange.notRegistered')}</dd>
        <dt>{t('exchange.colState')}</dt>
        <dd>
          <DocumentStateChip state={detail.state} />
        </dd>
      </dl>
      {(detail.sameNumberReceived ?? 0) > 0 && (
        <p role="note" className="warning same-number">
          {t('exchange.sameNumberReceived', { count: detail.sameNumberReceived, agency: detail.organName ?? detail.organId ?? '—', number: notation || '—' })}
        </p>
      )}
      {detail.held && (
        <section className="held-banner" role="region" aria-labelledby="held-heading">
          <h4 id="held-heading">{t('exchange.heldHeading')}</h4>
          <p className="warning">{heldReasonText(detail.held.reason, detail.held.outcome, i18n.language === 'en' ? 'en' : 'vi')}</p>
          {detail.held.nextCheckAt !== null && <p className="hint">{t('exchange.heldNext', { time: vietnamDateTime(new Date(detail.held.nextCheckAt)) })}</p>}
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(async () => ((await call('inbox.recheck', { documentId })).held ? t('exchange.recheckStill') : t('exchange.recheckCleared')))}
          >
            {busy ? t('exchange.rechecking') : t('exchange.recheckNow')}
          </button>
        </section>
      )}
      {detail.reason && <p className="warning">{t('exchange.reasonWas', { reason: detail.reason })}</p>}
      {detail.state === 'recalled' && <p className="warning">{t('exchange.recalledNotice')}</p>}
      <div className="actions">
        {detail.arrivalNumber === null && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(async () => t('exchange.registered', { number: (await call('inbox.register', { documentId })).arrivalNumber }))}
          >
            {t('exchange.register')}
          </button>
        )}
        {canAnswer && (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void act(async () => (await call('inbox.accept', { documentId }), t('exchange.accepted')))}>
              {t('exchange.accept')}
            </button>
            <button type="button" disabled={busy || rejecting} onClick={() => setRejecting(true)}>
              {t('exchange.reject')}
            </button>
          </>
        )}
      </div>
      {rejecting && (
        <RejectForm
          onCancel={() => setRejecting(false)}
          onSubmit={async (reason) => {
            try {
              await call('inbox.reject', { documentId, reason });
            } catch (error) {
              throw new Error(errorText(error, i18n.language), { cause: error });
            }
            setRejecting(false);
            setNotice(t('exchange.rejected'));
            await load();
            onChanged();
          }}
        />
      )}
      <ProcessingPanel
        detail={detail}
        onChanged={async (message) => {
          setNotice(message);
          await load();
          onChanged();
        }}
      />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <h4>{t('exchange.files')}</h4>
      <ul className="inbox-files">
        {detail.files.map((file) => (
          <li key={`${file.role}:${file.name}`}>
            <p>
              <strong>{file.name}</strong> — {t(`exchange.fileRole_${file.role}`)} ({Math.ceil(file.size / 1024)} KB)
            </p>
            {file.report ? <SignatureReport report={file.report} heading="h4" /> : <p className="hint">{t('exchange.notPdf')}</p>}
          </li>
        ))}
      </ul>
    </article>
  );
}
