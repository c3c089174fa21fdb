// Bulk signing: pick many documents waiting for a signature, choose the certificate and kind, review, one PIN, then follow the progress.
import { useEffect, useId, useMemo, useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { call, errorText } from '../bridge.js';
import { useNavigation } from '../navigation.js';
import { certificateLine, certificateMarks, preselectable, type TokenCertificate } from '../tokens/certificate-view.js';
import { revocationFor, useRevocation } from '../tokens/use-revocation.js';
import { BulkCandidateRow } from './BulkCandidateRow.js';
import { BulkProgressPanel } from './BulkProgressPanel.js';
import { bulkReducer, initialBulkState, runOutcome } from './progress-state.js';

type Candidate = IpcResponse<'bulk.candidates'>[number];
type Appearance = 'leader' | 'seal' | 'attachment';
type Level = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
interface CertOption {
  key: string;
  label: string;
  certificate: TokenCertificate;
  token: { module: string; label: string; serial: string; cert: string };
}

export function BulkPage() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const [certs, setCerts] = useState<CertOption[]>([]);
  const [cert, setCert] = useState('');
  const [appearance, setAppearance] = useState<Appearance>('leader');
  const [level, setLevel] = useState<Level>('B-T');
  const [failure, setFailure] = useState<string | null>(null);
  const [state, dispatch] = useReducer(bulkReducer, initialBulkState);
  const { navigate } = useNavigation();
  // Signed in a finished run: out of the list (and unticked); failures stay ticked with their reason.
  const [signedAway, setSignedAway] = useState<ReadonlySet<number>>(new Set());
  const [reasons, setReasons] = useState<ReadonlyMap<number, { messageVi: string; messageEn: string }>>(new Map());
  const revocation = useRevocation(certs.map((c) => c.certificate));
  const userChoseCert = useRef(false);

  useEffect(() => {
    const off = window.vanthu.on('bulk.progress', (progress) => dispatch({ type: 'progress', progress }));
    call('bulk.candidates', {}).then(setCandidates, (e: unknown) => setFailure(errorText(e, i18n.language)));
    call('settings.get', {}).then((s) => setLevel(s.defaultLevel), () => undefined);
    call('tokens.list', {}).then((modules) => {
      const options: CertOption[] = [];
      for (const m of modules)
        for (const token of m.tokens)
          for (const c of token.certificates)
            if (c.privateKey !== 'absent' && !c.certificate.isCA)
              options.push({
                key: `${m.path}|${token.serial}|${c.id}`,
                label: `${c.certificate.subject.commonName ?? c.label} — ${token.label}`,
                certificate: c.certificate,
                token: { module: m.path, label: token.label, serial: token.serial, cert: c.id },
              });
      setCerts(options);
    }, (e: unknown) => setFailure(errorText(e, i18n.language)));
    return off;
  }, [i18n.language]);

  // The first usable certificate is offered (never an expired, not-yet-valid or revoked one), until the user picks.
  useEffect(() => {
    if (userChoseCert.current) return;
    const usable = certs.find((c) => preselectable(c.certificate, revocationFor(revocation, c.certificate.sha256)));
    setCert(usable?.key ?? '');
  }, [certs, revocation]);

  // When a run ends: what it signed leaves the list and the selection; what failed stays ticked, with why.
  useEffect(() => {
    if (state.phase !== 'finished' || !state.progress) return;
    const { signed, failed } = runOutcome(state.progress);
    setSignedAway((old) => new Set([...old, ...signed]));
    setChosen((old) => new Set([...old].filter((documentId) => !signed.includes(documentId))));
    setReasons(new Map(failed.map((f) => [f.documentId, f.error])));
  }, [state.phase, state.progress]);

  const subjects = useMemo(() => new Map((candidates ?? []).map((c) => [c.documentId, c.subject])), [candidates]);
  const shown = (candidates ?? []).filter((c) => !signedAway.has(c.documentId));
  const picked = shown.filter((c) => chosen.has(c.documentId));
  const option = certs.find((c) => c.key === cert);
  const running = state.phase === 'starting' || state.phase === 'running';

  const toggle = (documentId: number): void =>
    setChosen((old) => {
      const next = new Set(old);
      if (next.has(documentId)) next.delete(documentId);
      else next.add(documentId);
      return next;
    });

  const start = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('pin') as HTMLInputElement;
    const pin = input.value;
    // The PIN goes straight into the one call; the field is emptied before it returns.
    input.value = '';
    if (!pin || !option || picked.length === 0) return;
    setFailure(null);
    dispatch({ type: 'start' });
    try {
      const { runId } = await call('bulk.start', { documentIds: picked.map((p) => p.documentId), token: option.token, pin, appearance, level });
      dispatch({ type: 'started', runId });
    } catch (error) {
      dispatch({ type: 'failed' });
      setFailure(errorText(error, i18n.language));
    }
  };

  const resume = async (pin: string): Promise<void> => {
    if (!state.runId) return;
    try {
      dispatch({ type: 'started', runId: (await call('bulk.resume', { runId: state.runId, pin })).runId });
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    }
  };

  return (
    <main className="bulk-page">
      <h2>{t('exchange.bulkHeading')}</h2>
      <form onSubmit={(e) => void start(e)}>
        <fieldset disabled={running}>
          <legend>{t('exchange.bulkPick')}</legend>
          {candidates && shown.length === 0 && <p>{t('exchange.bulkNone')}</p>}
          {candidates && shown.length > 0 && (
            <>
              <label>
                <input
                  type="checkbox"
                  checked={picked.length === shown.length}
                  onChange={(e) => setChosen(e.target.checked ? new Set(shown.map((c) => c.documentId)) : new Set())}
                />{' '}
                {t('exchange.bulkSelectAll')}
              </label>
              <table className="bulk-candidates">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">{t('signing.bulkList.pick')}</span>
                    </th>
                    <th scope="col">{t('signing.bulkList.number')}</th>
                    <th scope="col">{t('signing.bulkList.date')}</th>
                    <th scope="col">{t('signing.bulkList.priority')}</th>
                    <th scope="col">{t('signing.bulkList.subject')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <BulkCandidateRow
                      key={c.documentId}
                      candidate={c}
                      checked={chosen.has(c.documentId)}
                      reason={reasons.get(c.documentId)}
                      onToggle={() => toggle(c.documentId)}
                      onOpen={() => navigate({ page: 'document', documentId: String(c.documentId) })}
                    />
                  ))}
                </tbody>
              </table>
            </>
          )}
        </fieldset>
        <fieldset disabled={running}>
          <legend>{t('exchange.bulkOptions')}</legend>
          <div className="field">
            <label htmlFor={`${id}-cert`}>{t('exchange.bulkCertificate')}</label>
            {certs.length === 0 ? (
              <p className="warning">{t('exchange.bulkNoCertificate')}</p>
            ) : (
              <select
                id={`${id}-cert`}
                value={cert}
                onChange={(e) => {
                  userChoseCert.current = true;
                  setCert(e.target.value);
                }}
              >
                {cert === '' && <option value="">{t('signing.bulkList.chooseCertificate')}</option>}
                {certs.map((c) => {
                  const status = revocationFor(revocation, c.certificate.sha256);
                  const marks = certificateMarks(c.certificate, status).map((m) => t(`signing.picker.${m}`));
                  const checked = status && status !== 'revoked' ? t(`signing.picker.${status}`) : undefined;
                  return (
                    <option key={c.key} value={c.key}>
                      {certificateLine(c.certificate, marks, [c.token.label, checked].filter(Boolean).join(' · '))}
                    </option>
                  );
                })}
              </select>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-appearance`}>{t('exchange.bulkAppearance')}</label>
            <select id={`${id}-appearance`} value={appearance} onChange={(e) => setAppearance(e.target.value as Appearance)}>
              {(['leader', 'seal', 'attachment'] as const).map((a) => (
                <option key={a} value={a}>
                  {t(`exchange.appearance_${a}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-level`}>{t('exchange.bulkLevel')}</label>
            <select id={`${id}-level`} value={level} onChange={(e) => setLevel(e.target.value as Level)}>
              {(['B-B', 'B-T', 'B-LT', 'B-LTA'] as const).map((l) => (
                <option key={l} value={l}>
                  PAdES {l}
                </option>
              ))}
            </select>
          </div>
          {picked.length > 0 && option && <p className="notice">{t('exchange.bulkReview', { count: picked.length, cert: option.label })}</p>}
          <div className="field">
            <label htmlFor={`${id}-pin`}>{t('exchange.bulkPin')}</label>
            <input id={`${id}-pin`} name="pin" type="password" autoComplete="off" maxLength={64} />
          </div>
          <button type="submit" className="primary" disabled={picked.length === 0 || !option}>
            {t('exchange.bulkStart', { count: picked.length })}
          </button>
        </fieldset>
      </form>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {state.phase !== 'idle' && (
        <BulkProgressPanel
          state={state}
          subjects={subjects}
          onCancel={() => state.runId && void call('bulk.cancel', { runId: state.runId }).catch((e: unknown) => setFailure(errorText(e, i18n.language)))}
          onResume={(pin) => void resume(pin)}
        />
      )}
    </main>
  );
}
