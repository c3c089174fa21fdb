// The sign (or issue) dialog: token and certificate picker with warnings, appearance and level, and a PIN that is read once, sent, and cleared.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import type { SignatureImageView, SigningAppearance, SigningLevelChoice } from '../../../shared/ipc/signing.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';
import { call, errorText } from '../bridge.js';
import { CertificateDetails } from '../tokens/CertificateDetails.js';
import { preselectable } from '../tokens/certificate-view.js';
import { certificateWarnings } from '../tokens/certificate-warnings.js';
import { revocationFor, useRevocation } from '../tokens/use-revocation.js';
import { CertificateImagePicker } from './CertificateImagePicker.js';
import type { PdfRect } from './SignatureBox.js';

type Reports = IpcResponse<'tokens.list'>;
type Token = Reports[number]['tokens'][number];
type Step = 'certificate' | 'login' | 'signing' | 'stored';

interface Choice {
  key: string;
  token: Token;
  certificate: Token['certificates'][number];
}

const APPEARANCES: readonly SigningAppearance[] = ['leader', 'seal', 'attachment', 'copy'];
const LEVELS: readonly SigningLevelChoice[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];
const COPY_TYPES = ['SAO Y', 'SAO LỤC', 'TRÍCH SAO'] as const;

/** Certificates the user can sign with: those with a private key (or not known until login), not CA certificates. */
export function signingChoices(reports: Reports): Choice[] {
  return reports.flatMap((report) =>
    report.tokens.flatMap((token) =>
      token.certificates
        .filter((c) => c.privateKey !== 'absent' && !c.certificate.isCA)
        .map((certificate) => ({ key: `${token.modulePath}|${token.serial}|${token.label}|${certificate.id}`, token, certificate })),
    ),
  );
}

/**
 * The certificate to offer first: for signing, the one of the signer named in the document; for
 * issuing, an agency certificate (its subject names the organisation itself).
 */
export function preferredChoice(
  all: Choice[],
  mode: 'sign' | 'issue',
  signerName?: string,
  // Expired, not-yet-valid and revoked certificates are never offered first: the user picks them knowingly or not at all.
  usable: (c: Choice) => boolean = (c) => preselectable(c.certificate.certificate, undefined),
): Choice | undefined {
  const choices = all.filter(usable);
  const subject = (c: Choice) => c.certificate.certificate.subject;
  const match =
    mode === 'issue'
      ? choices.find((c) => subject(c).commonName !== undefined && subject(c).commonName === subject(c).organization)
      : choices.find((c) => signerName !== undefined && subject(c).commonName?.normalize('NFC') === signerName.normalize('NFC'));
  return match ?? choices[0];
}

export interface SignDialogProps {
  mode: 'sign' | 'issue';
  documentId: number;
  fileId: number;
  /** The box the user placed; without it the signature is placed by Decree 30's rules. */
  placement?: { page: number; rect: PdfRect };
  defaultAppearance?: SigningAppearance;
  /** The signer named in the document: their certificate is offered first. */
  signerName?: string;
  onDone(message: string): void;
  onClose(): void;
}

export function SignDialog({ mode, documentId, fileId, placement, defaultAppearance = 'leader', signerName, onDone, onClose }: SignDialogProps) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const [reports, setReports] = useState<Reports>();
  const [chosen, setChosen] = useState<string>();
  const [appearance, setAppearance] = useState<SigningAppearance>(mode === 'issue' ? 'seal' : defaultAppearance);
  const [level, setLevel] = useState<SigningLevelChoice>('B-B');
  const [copyType, setCopyType] = useState<(typeof COPY_TYPES)[number]>('SAO Y');
  // The PIN lives in the input only (uncontrolled): never in React state, cleared as soon as it is read.
  const pinInput = useRef<HTMLInputElement>(null);
  const [pinEntered, setPinEntered] = useState(false);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<Step>();
  const [error, setError] = useState<string>();
  const dialog = useRef<HTMLDivElement>(null);
  // True while the choice is the dialog's own: a revocation answer may still move it off a revoked certificate.
  const autoChosen = useRef(true);
  const [textOnly, setTextOnly] = useState(false);
  const [imageView, setImageView] = useState<SignatureImageView | 'loading'>();

  const loadTokens = useCallback(async () => {
    try {
      setReports(await call('tokens.list', {}));
    } catch (failure) {
      setError(errorText(failure, i18n.language));
    }
  }, [i18n.language]);

  const choices = reports ? signingChoices(reports) : [];
  const revocation = useRevocation(choices.map((c) => c.certificate.certificate));

  useEffect(() => {
    if (!reports) return;
    const list = signingChoices(reports);
    const usable = (c: Choice) => preselectable(c.certificate.certificate, revocationFor(revocation, c.certificate.certificate.sha256));
    setChosen((current) => {
      const still = list.find((c) => c.key === current);
      if (current !== undefined && (!autoChosen.current || (still !== undefined && usable(still)))) return current;
      autoChosen.current = true;
      return preferredChoice(list, mode, signerName, usable)?.key;
    });
  }, [reports, revocation, mode, signerName]);

  useEffect(() => {
    void loadTokens();
    dialog.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, [loadTokens]);

  useEffect(
    () =>
      window.vanthu.on('signing.progress', (event) => {
        if (event.documentId === documentId) setStep(event.step);
      }),
    [documentId],
  );

  const selected = choices.find((c) => c.key === chosen);
  const selectedSha = selected?.certificate.certificate.sha256;
  // The leader's signature carries an image: it is found and checked before the PIN can be typed.
  const needsImage = mode === 'sign' && appearance === 'leader';
  useEffect(() => {
    if (!needsImage || selectedSha === undefined) return setImageView(undefined);
    let live = true;
    setImageView('loading');
    call('signing.image', { certificateSha256: selectedSha }).then(
      (view) => live && setImageView(view),
      (failure: unknown) => live && setImageView({ image: null, problem: { vi: errorText(failure, 'vi'), en: errorText(failure, 'en') } }),
    );
    return () => {
      live = false;
    };
  }, [needsImage, selectedSha]);
  const imageReady = !needsImage || textOnly || (imageView !== undefined && imageView !== 'loading' && imageView.image !== null && imageView.problem === null);
  const flags = selected?.token.flags;
  const pinWarning = flags?.userPinLocked ? 'pinLocked' : flags?.userPinFinalTry ? 'pinFinalTry' : flags?.userPinCountLow ? 'pinCountLow' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = pinInput.current;
    if (!selected || !input || input.value.length === 0 || !imageReady) return;
    const pin = input.value;
    input.value = '';
    setPinEntered(false);
    setBusy(true);
    setError(undefined);
    setStep(undefined);
    const token = { modulePath: selected.token.modulePath, serial: selected.token.serial, label: selected.token.label };
    try {
      if (mode === 'issue' || appearance === 'seal') {
        const result = await call('signing.issue', { documentId, token, certificateId: selected.certificate.id, pin, level });
        onDone(t('signing.issued', { number: result.codeNumber, date: vietnamDate(result.issuedDate) }) + pending(result.pendingLevel));
      } else {
        const result = await call('signing.sign', {
          documentId,
          fileId,
          token,
          certificateId: selected.certificate.id,
          pin,
          appearance,
          level,
          ...(needsImage && textOnly ? { textOnly: true } : {}),
          ...(placement ? { page: placement.page, rect: placement.rect } : {}),
          ...(appearance === 'copy' ? { copyType } : {}),
        });
        onDone(t('signing.signed', { revision: result.revision, level: result.level }) + pending(result.pendingLevel));
      }
    } catch (failure) {
      setError(errorText(failure, i18n.language));
      // A wrong PIN changes the token's flags (few tries left, final try, locked): show them.
      await loadTokens();
    } finally {
      setBusy(false);
    }
  }
  const pending = (level: string | null) => (level ? ` ${t('signing.pendingLevel', { level })}` : '');

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !busy) {
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div ref={dialog} className="dialog sign-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h3 id={titleId}>{t(mode === 'issue' ? 'signing.issueDialog' : 'signing.signDialog')}</h3>
        {mode === 'issue' && <p>{t('signing.issueExplain')}</p>}
        <form onSubmit={(event) => void submit(event)}>
          <fieldset disabled={busy}>
            <legend>{t('signing.certificate')}</legend>
            {!reports && !error && <p role="status">{t('signing.loadingTokens')}</p>}
            {reports && choices.length === 0 && <p>{t('signing.noCertificates')}</p>}
            <ul className="certificate-choices">
              {choices.map(({ key, token, certificate: entry }) => {
                const c = entry.certificate;
                const keyText = c.publicKey.type === 'ec' ? `ECDSA ${c.publicKey.curve ?? ''}`.trim() : `${c.publicKey.type.toUpperCase()} ${c.publicKey.bits}`;
                const status = revocationFor(revocation, c.sha256);
                return (
                  <li key={key} className={preselectable(c, status) ? undefined : 'certificate-unusable'}>
                    <label>
                      <input
                        type="radio"
                        name="certificate"
                        value={key}
                        checked={chosen === key}
                        onChange={() => {
                          autoChosen.current = false;
                          setChosen(key);
                        }}
                      />
                      <span className="subject">{c.subject.commonName ?? entry.label}</span> — {keyText} — {t('signing.token', { label: token.label })}
                      <CertificateDetails certificate={c} revocation={status} fallbackName={entry.label} hideHolder />
                      {certificateWarnings(c)
                        .filter((warning) => warning === 'notForSigning')
                        .map((warning) => (
                          <span key={warning} className="warning">{t(warning)}</span>
                        ))}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
          <fieldset disabled={busy}>
            {mode === 'sign' && (
              <label>
                {t('signing.appearance')}
                <select value={appearance} onChange={(e) => setAppearance(e.target.value as SigningAppearance)}>
                  {APPEARANCES.map((a) => (
                    <option key={a} value={a}>{t(`signing.appearances.${a}`)}</option>
                  ))}
                </select>
              </label>
            )}
            {mode === 'sign' && appearance === 'copy' && (
              <label>
                {t('signing.copyType')}
                <select value={copyType} onChange={(e) => setCopyType(e.target.value as (typeof COPY_TYPES)[number])}>
                  {COPY_TYPES.map((c) => (
                    <option key={c} value={c}>{c}</option>
                  ))}
                </select>
              </label>
            )}
            <label>
              {t('signing.signingLevel')}
              <select value={level} onChange={(e) => setLevel(e.target.value as SigningLevelChoice)}>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>{t(`signing.levels.${l}`)}</option>
                ))}
              </select>
            </label>
            {mode === 'sign' && appearance !== 'seal' && (
              <p className="placement-note">
                {t('signing.placement')}: {placement ? t('signing.placementChosen', { page: placement.page }) : t('signing.placementAuto')}
              </p>
            )}
            {needsImage && selected && (
              <CertificateImagePicker
                key={selected.key}
                certificateSha256={selected.certificate.certificate.sha256}
                signerName={selected.certificate.certificate.subject.commonName ?? selected.certificate.label}
                view={imageView}
                textOnly={textOnly}
                onTextOnly={setTextOnly}
                onView={setImageView}
              />
            )}
            {!imageReady && imageView !== 'loading' && <p className="warning image-needed">{t('signing.image.needed')}</p>}
            <label>
              {t('signing.pin')}
              <input
                ref={pinInput}
                type="password"
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                disabled={flags?.userPinLocked || !imageReady}
                onInput={(e) => setPinEntered(e.currentTarget.value.length > 0)}
              />
            </label>
            <small>{t('signing.pinHint')}</small>
            {pinWarning && <p role="status" className="warning pin-warning">{t(`signing.${pinWarning}`)}</p>}
          </fieldset>
          {busy && (
            <p role="status" className="signing-progress">
              <progress aria-label={t('signing.working')} /> {step ? t(`signing.progress.${step}`) : t('signing.working')}
            </p>
          )}
          {error && <p role="alert" className="error">{error}</p>}
          <div className="dialog-buttons">
            <button type="submit" disabled={busy || !selected || !pinEntered || flags?.userPinLocked || !imageReady}>
              {t(mode === 'issue' || appearance === 'seal' ? 'signing.issue' : 'signing.sign')}
            </button>
            <button type="button" onClick={onClose} disabled={busy}>{t('signing.cancel')}</button>
          </div>
        </form>
      </div>
    </div>
  );
}
