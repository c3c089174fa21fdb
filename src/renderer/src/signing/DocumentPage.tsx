// One document: its metadata and state, the PDF viewer with the signature box, the signatures on it, and the sign, issue and send actions.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentState } from '../../../shared/document.js';
import { formatNumberNotation } from '../../../shared/document.js';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';
import { BridgeError, call, errorText } from '../bridge.js';
import { DocumentStateChip } from '../common/StatusChip.js';
import { useNavigation } from '../navigation.js';
import { PdfViewer, type PageGeometry } from './PdfViewer.js';
import { SignatureBox, type PdfRect } from './SignatureBox.js';
import { SignaturesPanel } from './SignaturesPanel.js';
import { SignDialog } from './SignDialog.js';
import { AttentionPanel } from '../attention/AttentionPanel.js';
import { DuplicateNumberNote } from '../attention/DuplicateNumberNote.js';
import { RecipientStates } from '../attention/RecipientStates.js';
import { SendConfirm } from '../attention/SendConfirm.js';

type Details = IpcResponse<'document.details'>;

/** How often a document on its way out is looked at again (the outbox reports no event for a refusal). */
const SENDING_POLL_MS = 3_000;

/** A new box: the usual size of a signature image, in the lower right quarter of the page. */
const defaultBox = (geometry: PageGeometry): PdfRect => [geometry.width * 0.55, geometry.height * 0.2, 150, 75];

export function DocumentPage({ documentId: routeId }: { documentId: string }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const documentId = Number(routeId);
  const [details, setDetails] = useState<Details>();
  const [fileId, setFileId] = useState<number>();
  const [bytes, setBytes] = useState<Uint8Array>();
  const [page, setPage] = useState(1);
  const [geometry, setGeometry] = useState<PageGeometry>();
  const [box, setBox] = useState<{ page: number; rect: PdfRect }>();
  const [dialog, setDialog] = useState<'sign' | 'issue'>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [sending, setSending] = useState(false);

  const fail = useCallback((failure: unknown) => setError(errorText(failure, i18n.language)), [i18n.language]);

  const load = useCallback(async () => {
    try {
      const next = await call('document.details', { documentId });
      setDetails(next);
      setFileId((current) => current ?? next.files.find((f) => f.role === 'main')?.id ?? next.files[0]?.id);
    } catch (failure) {
      fail(failure);
    }
  }, [documentId, fail]);

  useEffect(() => {
    void load();
  }, [load]);

  const [confirming, setConfirming] = useState(false);
  const [attentionKey, setAttentionKey] = useState(0);
  // A status or a sending of this document arrived: reload it, and the attention panel with it.
  const changed = useCallback(() => {
    setAttentionKey((k) => k + 1);
    void load();
  }, [load]);

  // While a sending is on its way, its outcome (sent, refused, retried later) is looked at every few seconds.
  const liveState = details?.state;
  useEffect(() => {
    setAttentionKey((k) => k + 1);
    // "Queued" no longer holds once the send was refused: the attention panel says what happened instead.
    if (liveState === 'needs_attention') setNotice(undefined);
    if (liveState !== 'queued' && liveState !== 'sending') return;
    const timer = setInterval(changed, SENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [liveState, changed]);

  const revision = details?.files.find((f) => f.id === fileId)?.revisions.at(-1)?.revision;
  useEffect(() => {
    if (fileId === undefined || revision === undefined) return;
    let current = true;
    void (async () => {
      try {
        const file = await call('document.file', { documentId, fileId, revision });
        const { base64ToBytes } = await import('./pdf.js');
        if (current) setBytes(base64ToBytes(file.contentBase64));
      } catch (failure) {
        if (current) fail(failure);
      }
    })();
    return () => {
      current = false;
    };
  }, [documentId, fileId, revision, fail]);

  async function autoPlace() {
    if (fileId === undefined) return;
    setError(undefined);
    try {
      const placed = await call('signing.suggestPlacement', { documentId, fileId, appearance: 'leader' });
      setBox({ page: placed.page, rect: placed.rect });
      setPage(placed.page);
      setNotice(t('signing.boxPlaced', { page: placed.page }));
    } catch (failure) {
      fail(failure);
    }
  }

  function placeBox() {
    if (!geometry) return;
    setBox({ page: geometry.page, rect: defaultBox(geometry) });
    setNotice(t('signing.boxPlaced', { page: geometry.page }));
  }

  async function send() {
    setConfirming(false);
    setSending(true);
    setError(undefined);
    try {
      try {
        await call('document.send', { documentId });
      } catch (failure) {
        // The same files already reached the same recipients: a new sending only when the user says so.
        if (!(failure instanceof BridgeError && failure.detail.code === 'EXCHANGE_ALREADY_SENT') || !window.confirm(t('signing.sendAgain'))) throw failure;
        await call('document.send', { documentId, again: true });
      }
      // The message id is internal: the user hears that it is queued, and sees each recipient's state below.
      setNotice(t('attention.sentQueued'));
      changed();
    } catch (failure) {
      fail(failure);
    } finally {
      setSending(false);
    }
  }

  function signed(message: string) {
    setDialog(undefined);
    setBox(undefined);
    setNotice(message);
    setRefreshKey((k) => k + 1);
    void load();
  }

  if (!details) {
    return (
      <main className="document-page">
        <h2>{t('signing.title')}</h2>
        {error ? <p role="alert" className="error">{error}</p> : <p role="status">{t('signing.loading')}</p>}
      </main>
    );
  }

  const state = details.state as DocumentState;
  const number = details.codeNumber ? (details.codeNotation ? formatNumberNotation(details.codeNumber, details.codeNotation) : details.codeNumber) : t('signing.noNumber');
  const outgoing = details.direction === 'outgoing';
  const canSign = outgoing && (state === 'draft' || state === 'signed_by_leader');
  const canIssue = outgoing && state === 'signed_by_leader';
  const canSend = outgoing && (state === 'issued' || state === 'failed');
  // Metadata and files change only while nobody has signed.
  const canEdit = outgoing && state === 'draft';

  return (
    <main className="document-page">
      <div className="document-header">
        <button type="button" className="link" onClick={() => navigate({ page: 'documents' })}>{t('signing.back')}</button>
        <h2>{details.subject}</h2>
        <dl className="document-metadata">
          <dt>{t('signing.state')}</dt>
          <dd>
            <DocumentStateChip state={state} />
          </dd>
          <dt>{t('signing.number')}</dt>
          <dd>{number}</dd>
          {details.issuedDate && (
            <>
              <dt>{t('signing.issuedDate')}</dt>
              <dd>{vietnamDate(details.issuedDate)}</dd>
            </>
          )}
          {details.typeName && (
            <>
              <dt>{t('signing.type')}</dt>
              <dd>{details.typeName}</dd>
            </>
          )}
          {details.organName && (
            <>
              <dt>{t('signing.organ')}</dt>
              <dd>{details.organName}</dd>
            </>
          )}
          {details.signerFullName && (
            <>
              <dt>{t('signing.signer')}</dt>
              <dd>{[details.signerPosition, details.signerFullName].filter(Boolean).join(' ')}</dd>
            </>
          )}
          {details.recipients.length > 0 && (
            <>
              <dt>{t('signing.recipients')}</dt>
              <dd>{details.recipients.map((r) => r.organName).join('; ')}</dd>
            </>
          )}
        </dl>
      </div>

      {details.files.length > 1 && (
        <div role="tablist" aria-label={t('signing.files')} className="file-tabs">
          {details.files.map((file) => (
            <button key={file.id} type="button" role="tab" aria-selected={file.id === fileId} onClick={() => (setFileId(file.id), setPage(1), setBox(undefined))}>
              {t(`signing.fileRole.${file.role}`)}: {file.name}
            </button>
          ))}
        </div>
      )}

      <div className="document-actions" role="group" aria-label={t('signing.actions')}>
        {canEdit && <button type="button" onClick={() => navigate({ page: 'compose', documentId: routeId })}>{t('signing.editDraft')}</button>}
        <button type="button" onClick={placeBox} disabled={!geometry || !canSign}>{t('signing.placeBox')}</button>
        <button type="button" onClick={() => void autoPlace()} disabled={!canSign}>{t('signing.autoPlace')}</button>
        {box && <button type="button" onClick={() => setBox(undefined)}>{t('signing.clearBox')}</button>}
        <button type="button" onClick={() => setDialog('sign')} disabled={!canSign}>{t('signing.sign')}</button>
        <button type="button" onClick={() => setDialog('issue')} disabled={!canIssue}>{t('signing.issue')}</button>
        <button type="button" onClick={() => setConfirming(true)} disabled={!canSend || sending}>{t('signing.send')}</button>
      </div>
      {confirming && <SendConfirm recipients={details.recipients} onConfirm={() => void send()} onCancel={() => setConfirming(false)} />}
      {outgoing && <AttentionPanel documentId={documentId} refreshKey={attentionKey} onChanged={changed} />}
      {outgoing && details.recipients.length > 0 && ['queued', 'sending', 'sent', 'needs_attention', 'failed'].includes(state) && (
        <RecipientStates documentId={documentId} state={state} recipients={details.recipients} onChanged={changed} />
      )}
      {outgoing && details.duplicateNumberWarning && <DuplicateNumberNote number={number} />}
      {sending && <p role="status">{t('signing.sending')}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      {error && <p role="alert" className="error">{error}</p>}

      <div className="document-body">
        {bytes ? (
          <PdfViewer
            bytes={bytes}
            page={page}
            onPageChange={setPage}
            onRendered={setGeometry}
            overlay={(g) => (box && box.page === g.page ? <SignatureBox rect={box.rect} geometry={g} onChange={(rect) => setBox({ page: g.page, rect })} /> : null)}
          />
        ) : (
          <p role="status">{t('signing.loading')}</p>
        )}
        {fileId !== undefined && <SignaturesPanel documentId={documentId} fileId={fileId} refreshKey={refreshKey} ready={bytes !== undefined} />}
      </div>

      {dialog && fileId !== undefined && (
        <SignDialog
          mode={dialog}
          documentId={documentId}
          fileId={fileId}
          {...(box ? { placement: box } : {})}
          {...(details.signerFullName ? { signerName: details.signerFullName } : {})}
          onDone={signed}
          onClose={() => setDialog(undefined)}
        />
      )}
    </main>
  );
}
