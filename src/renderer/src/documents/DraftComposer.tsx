// The compose form as the Decree 30 drafting engine: the document's parts with inline checks, a live PDF preview, save and "Trình ký".
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recipient } from '../../../shared/document.js';
import { authorityPrefixes, draftTypes, type AuthorityPrefix, type DraftType } from '../../../shared/draft.js';
import type { DraftDefaults } from '../../../shared/settings.js';
import { call, errorText } from '../bridge.js';
import { useOwnAgency } from './use-own-agency.js';
import { DateField } from '../common/DateField.js';
import { UrgencyFields } from './UrgencyFields.js';
import { useNavigation } from '../navigation.js';
import { BodyEditor } from './BodyEditor.js';
import { emptyDraftValues, previewDraft, toDraft, validateDraft, type DraftField, type DraftValues } from './draft-form.js';
import { DraftPreview } from './DraftPreview.js';
import { RecipientPicker } from './RecipientPicker.js';

type TextKey = 'parentOrganName' | 'organName' | 'organId' | 'codeNotation' | 'issuedPlace' | 'subject' | 'addressees' | 'onBehalfOf' | 'position' | 'fullName' | 'recipientsList';

/** Whom TM., KT., TL. and TUQ. act for must be named; Q. and the head's own signature need no one. */
const needsOnBehalfOf = (authority: AuthorityPrefix | ''): boolean => authority !== '' && authority !== 'Q.';

/** A new line in "Nơi nhận" for each agency picked for the exchange, above "Lưu: …". */
function withRecipientLines(list: string, recipients: readonly Recipient[]): string {
  const lines = list.split('\n');
  const present = new Set(lines.map((l) => l.trim()));
  const missing = recipients.map((r) => r.organName).filter((name) => !present.has(name));
  if (missing.length === 0) return list;
  const at = lines.findIndex((l) => /^lưu\b/iu.test(l.trim()));
  const index = at === -1 ? lines.length : at;
  return [...lines.slice(0, index), ...missing, ...lines.slice(index)].filter((l, i, all) => l.trim() !== '' || i < all.length - 1).join('\n');
}

/** The settings' draft defaults put into the fields still empty; what the clerk typed stays. */
function withDefaults(values: DraftValues, defaults: DraftDefaults): DraftValues {
  const next = { ...values };
  for (const key of ['parentOrganName', 'codeNotation', 'issuedPlace', 'onBehalfOf', 'position', 'fullName'] as const) {
    const value = defaults[key];
    if (value && !next[key]) next[key] = value;
  }
  // The agency's name and its id go together: neither is paired with one typed or taken from the exchange login.
  if (!values.organName && !values.organId) {
    next.organName = defaults.organName ?? '';
    next.organId = defaults.organId ?? '';
  }
  if (defaults.authority && !next.authority) next.authority = defaults.authority;
  return next;
}

export interface DraftComposerProps {
  /** The document being edited (a saved draft); absent for a new one. */
  documentId?: number;
  initial?: DraftValues;
}

export function DraftComposer({ documentId: savedId, initial }: DraftComposerProps) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [values, setValues] = useState<DraftValues>(initial ?? emptyDraftValues);
  const [documentId, setDocumentId] = useState<number | undefined>(savedId);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  // A new document starts from the defaults in the settings (the demo sets our agency, the place and the leader): only empty fields take them.
  useEffect(() => {
    if (savedId !== undefined || initial !== undefined) return;
    let live = true;
    call('settings.get', {})
      .then(({ draftDefaults }) => {
        if (live && draftDefaults) setValues((v) => withDefaults(v, draftDefaults));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [savedId, initial]);

  useOwnAgency(savedId === undefined, setValues);

  const problems = useMemo(() => validateDraft(values), [values]);
  const preview = useMemo(() => previewDraft(values), [values]);

  const update = <K extends keyof DraftValues>(key: K, value: DraftValues[K]) => {
    setNotice(null);
    setValues((current) => ({ ...current, [key]: value }));
  };
  const touch = (field: string) => setTouched((s) => new Set(s).add(field));

  const message = (field: DraftField): string | undefined => {
    const problem = problems[field];
    if (!problem || (!touched.has(field) && !touched.has('*'))) return undefined;
    return t(`documents.errors.${problem.key}`, problem.max === undefined ? {} : { max: problem.max });
  };

  const save = async (then: 'save' | 'submit') => {
    setTouched(new Set(['*']));
    setFailure(null);
    setNotice(null);
    if (Object.keys(problems).length > 0) {
      // The first field with a problem gets the focus, so a keyboard or screen-reader user lands on it.
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(then);
    try {
      const saved = await call('drafting.save', {
        ...(documentId === undefined ? {} : { documentId }),
        draft: toDraft(values),
        recipients: values.recipients,
        ...(values.dueDate ? { dueDate: values.dueDate } : {}),
      });
      setDocumentId(saved.id);
      if (then === 'submit') navigate({ page: 'document', documentId: String(saved.id) });
      else setNotice(t('documents.draft.saved', { version: saved.version }));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(null);
    }
  };

  const field = (key: TextKey, label: string, options: { multiline?: boolean; required?: boolean; hint?: string; before?: ReactNode } = {}) => {
    const error = message(key);
    const id = `draft-${key}`;
    const described = [error ? `${id}-error` : '', options.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
    const common = {
      id,
      value: values[key],
      'aria-invalid': error ? true : undefined,
      'aria-required': options.required ? true : undefined,
      'aria-describedby': described,
      onBlur: () => touch(key),
    };
    return (
      <div className={`field field-${key}`}>
        <label htmlFor={id}>{label}</label>
        <span className="field-input">
          {options.before}
          {options.multiline ? <textarea {...common} rows={3} onChange={(e) => update(key, e.target.value)} /> : <input {...common} type="text" onChange={(e) => update(key, e.target.value)} />}
        </span>
        {options.hint && (
          <span id={`${id}-hint`} className="hint">
            {options.hint}
          </span>
        )}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  const showErrors = touched.has('*') && Object.keys(problems).length > 0;

  return (
    <div className="draft-composer">
      <form ref={form} className="draft-form" onSubmit={(e) => (e.preventDefault(), void save('save'))} noValidate>
        <fieldset className="draft-fields">
          <legend>{t('documents.draft.documentLegend')}</legend>
          <div className="field field-type">
            <label htmlFor="draft-type">{t('documents.draft.type')}</label>
            <select id="draft-type" value={values.type} onChange={(e) => update('type', e.target.value as DraftType)}>
              {draftTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`documents.draft.types.${type}`)}
                </option>
              ))}
            </select>
          </div>
          {field('parentOrganName', t('documents.draft.parentOrganName'))}
          {field('organName', t('documents.organName'), { required: true })}
          {field('organId', t('documents.organId'))}
          {field('codeNotation', t('documents.codeNotation'), {
            required: true,
            hint: t('documents.draft.numberHint'),
            before: (
              <span className="number-prefix" aria-hidden="true">
                {t('documents.draft.numberPrefix')}
              </span>
            ),
          })}
          {field('issuedPlace', t('documents.issuedPlace'), { required: true })}
          <div className="field field-issuedDate">
            <DateField label={t('documents.draft.issuedDate')} value={values.issuedDate} onChange={(v) => update('issuedDate', v)} error={message('issuedDate')} />
            <span className="hint">{t('documents.draft.issuedDateHint')}</span>
          </div>
          {field('subject', t('documents.subject'), { multiline: true, required: true })}
          {field('addressees', t('documents.draft.addressees'), { multiline: true })}
          <BodyEditor id="draft-body" label={t('documents.draft.body')} value={values.body} onChange={(v) => update('body', v)} onBlur={() => touch('body')} error={message('body')} />
          <UrgencyFields idPrefix="draft" priority={values.priority} secrecy={values.secrecy} onPriority={(v) => update('priority', v)} onSecrecy={(v) => update('secrecy', v)} />
          <div className="field field-dueDate">
            <DateField label={t('documents.dueDate')} value={values.dueDate} onChange={(v) => update('dueDate', v)} />
          </div>
        </fieldset>
        <fieldset className="draft-fields">
          <legend>{t('documents.draft.signerLegend')}</legend>
          <div className="field field-authority">
            <label htmlFor="draft-authority">{t('documents.draft.authority')}</label>
            <select id="draft-authority" value={values.authority} onChange={(e) => update('authority', e.target.value as AuthorityPrefix | '')}>
              <option value="">{t('documents.draft.authorityNone')}</option>
              {authorityPrefixes.map((a) => (
                <option key={a} value={a}>
                  {t(`documents.draft.authorities.${a.replace('.', '')}`)}
                </option>
              ))}
            </select>
          </div>
          {needsOnBehalfOf(values.authority) && field('onBehalfOf', t('documents.draft.onBehalfOf'), { required: true })}
          {field('position', t('documents.signerPosition'), { required: true })}
          {field('fullName', t('documents.signerFullName'), { required: true })}
          {field('recipientsList', t('documents.draft.recipientsList'), { multiline: true })}
        </fieldset>
        <RecipientPicker
          legend={t('documents.draft.exchangeLegend')}
          recipients={values.recipients}
          onChange={(recipients) => {
            setNotice(null);
            setValues((v) => ({ ...v, recipients, recipientsList: withRecipientLines(v.recipientsList, recipients) }));
          }}
        />
        {showErrors && (
          <p role="alert" className="error">
            {t('documents.fixErrors')}
          </p>
        )}
        {failure !== null && (
          <p role="alert" className="error">
            {errorText(failure, i18n.language)}
          </p>
        )}
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy !== null}>
            {busy === 'save' ? t('documents.saving') : t('documents.save')}
          </button>
          <button type="button" className="primary" disabled={busy !== null} aria-describedby="draft-submit-hint" onClick={() => void save('submit')}>
            {busy === 'submit' ? t('documents.draft.submitting') : t('documents.draft.submit')}
          </button>
          <button type="button" onClick={() => navigate(documentId === undefined ? { page: 'documents' } : { page: 'document', documentId: String(documentId) })}>
            {t('documents.cancel')}
          </button>
          <span id="draft-submit-hint" className="hint">
            {t('documents.draft.submitHint')}
          </span>
        </div>
      </form>
      <DraftPreview draft={preview} />
    </div>
  );
}
