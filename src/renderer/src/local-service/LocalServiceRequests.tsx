// The dialogs the local signing service opens: "Trang … muốn dùng chữ ký số của bạn", and each signing shown (site, document preview, flow, certificate, position) before the PIN.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalSigningRequest } from '../../../shared/ipc/local-service.js';
import { call } from '../bridge.js';
import { PdfViewer } from '../signing/PdfViewer.js';

type Question = { kind: 'origin'; requestId: string; origin: string } | ({ kind: 'signing' } & LocalSigningRequest);

function SigningDialog({ request }: { request: LocalSigningRequest }) {
  const { t } = useTranslation();
  const id = useId();
  const [pin, setPin] = useState('');
  const [bytes, setBytes] = useState<Uint8Array>();
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call('localService.preview', { requestId: request.requestId }).then(
      ({ base64 }) => setBytes(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))),
      () => undefined,
    );
  }, [request.requestId]);

  const answer = (approve: boolean) => async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const given = pin;
    // The PIN leaves the page's state before the call: nothing keeps it afterwards.
    setPin('');
    await call('localService.answerSigning', approve ? { requestId: request.requestId, approve, pin: given } : { requestId: request.requestId, approve }).catch(() => undefined);
  };

  return (
    <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} className="dialog local-service-dialog">
      <h2 id={`${id}-title`}>{t('localService.signingTitle')}</h2>
      <dl>
        <dt>{t('localService.site')}</dt>
        <dd>{request.origin}</dd>
        <dt>{t('localService.flow')}</dt>
        <dd>{request.flow}</dd>
        <dt>{t('localService.document')}</dt>
        <dd>{request.fileName}</dd>
        <dt>{t('localService.documentHash')}</dt>
        <dd className="hash">{request.documentSha256}</dd>
        {request.documentNumber && (
          <>
            <dt>{t('localService.documentNumber')}</dt>
            <dd>{request.documentNumber}</dd>
          </>
        )}
        <dt>{t('localService.certificateUsed')}</dt>
        <dd>{request.certificateSubject}</dd>
        <dt>{t('localService.position')}</dt>
        <dd>{request.position}</dd>
      </dl>
      {request.batch && (
        <section aria-label={t('localService.batch', { count: request.batch.length })}>
          <h3>{t('localService.batch', { count: request.batch.length })}</h3>
          <ul>
            {request.batch.map((file) => (
              <li key={file.documentSha256 + file.fileName}>{file.fileName}</li>
            ))}
          </ul>
        </section>
      )}
      {request.wrongPin && (
        <p role="alert" className="warning">
          {t('localService.wrongPin', { count: request.wrongPin.count })}
          {request.wrongPin.triesLeft !== undefined && <> {t(request.wrongPin.triesLeft === 1 ? 'localService.pinFinalTry' : 'localService.pinCountLow')}</>}
        </p>
      )}
      {bytes && bytes.length > 0 ? <PdfViewer bytes={bytes} page={page} onPageChange={setPage} /> : <p className="hint">{t('localService.previewLoading')}</p>}
      <form onSubmit={(e) => void answer(true)(e)}>
        <label htmlFor={`${id}-pin`}>{t('localService.pin')}</label>
        <input id={`${id}-pin`} type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || pin.length === 0}>
            {t('localService.sign')}
          </button>
          <button type="button" disabled={busy} onClick={() => void answer(false)()}>
            {t('localService.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

function OriginDialog({ requestId, origin }: { requestId: string; origin: string }) {
  const { t } = useTranslation();
  const id = useId();
  const decide = (decision: 'once' | 'always' | 'never') => () => void call('localService.answerOrigin', { requestId, decision }).catch(() => undefined);
  return (
    <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} className="dialog local-service-dialog">
      <h2 id={`${id}-title`}>{t('localService.originTitle')}</h2>
      <p>{t('localService.originAsk', { origin })}</p>
      <div className="actions">
        <button type="button" onClick={decide('once')}>
          {t('localService.originOnce')}
        </button>
        <button type="button" className="primary" onClick={decide('always')}>
          {t('localService.originAlways')}
        </button>
        <button type="button" onClick={decide('never')}>
          {t('localService.originNever')}
        </button>
      </div>
    </div>
  );
}

/** Mounted once in the frame: shows the oldest open question of the service, whatever page is open. */
export function LocalServiceRequests() {
  const [questions, setQuestions] = useState<Question[]>([]);
  useEffect(() => {
    const offs = [
      window.vanthu.on('localService.originRequest', (q) => setQuestions((list) => [...list, { kind: 'origin', ...q }])),
      window.vanthu.on('localService.signingRequest', (q) => setQuestions((list) => [...list, { kind: 'signing', ...q }])),
      window.vanthu.on('localService.requestClosed', ({ requestId }) => setQuestions((list) => list.filter((q) => q.requestId !== requestId))),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  const first = questions[0];
  if (!first) return null;
  return first.kind === 'origin' ? <OriginDialog key={first.requestId} requestId={first.requestId} origin={first.origin} /> : <SigningDialog key={first.requestId} request={first} />;
}
