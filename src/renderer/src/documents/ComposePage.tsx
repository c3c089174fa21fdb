// Compose or edit a draft: written in the drafting form (the default), or a PDF from elsewhere with its Decree 30 metadata, main PDF and appendices.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumberNotation, METADATA_LIMITS } from '../../../shared/document.js';
import type { DocumentRecordDto } from '../../../shared/ipc/documents.js';
import { call, errorText } from '../bridge.js';
import { useOwnAgency } from './use-own-agency.js';
import { useNavigation } from '../navigation.js';
import { DateField } from '../common/DateField.js';
import { UrgencyFields } from './UrgencyFields.js';
import { DraftComposer } from './DraftComposer.js';
import { valuesFromDraft, type DraftValues } from './draft-form.js';
import { compact, documentTypes, emptyValues, toMetadata, validate, valuesFrom, type ComposeValues, type FieldName, type FieldProblem, type TextField } from './compose-form.js';
import { FilePicker, type PickedFiles } from './FilePicker.js';
import { RecipientPicker } from './RecipientPicker.js';

const limits: Partial<Record<TextField, number>> = {
  organName: METADATA_LIMITS.organName,
  organId: METADATA_LIMITS.organId,
  codeNotation: METADATA_LIMITS.codeNotation,
  typeName: METADATA_LIMITS.typeName,
  subject: METADATA_LIMITS.subject,
  signerPosition: METADATA_LIMITS.signerPosition,
  signerFullName: METADATA_LIMITS.signerFullName,
  issuedPlace: METADATA_LIMITS.issuedPlace,
};

/** A new form for each document (or a new one): moving from editing a draft to "compose" starts empty. */
export function ComposePage({ documentId }: { documentId?: string }) {
  return <ComposeRoute key={documentId ?? 'new'} {...(documentId === undefined ? {} : { documentId })} />;
}

type Mode = 'write' | 'upload';

/** A saved draft document: reopened in the drafting form when it was written there, else in the upload form. */
type Loaded = { mode: 'write'; values: DraftValues } | { mode: 'upload' };

function ComposeRoute({ documentId }: { documentId?: string }) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<Mode>('write');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (documentId === undefined) return;
    let live = true;
    const id = Number(documentId);
    Promise.all([call('drafting.forDocument', { documentId: id }), call('documents.get', { id })])
      .then(([draft, got]) => {
        if (!live) return;
        const recipients = got.document.recipients.map((r) => ({ organId: r.organId, organName: r.organName }));
        setLoaded(draft ? { mode: 'write', values: valuesFromDraft(draft.draft, { recipients, dueDate: got.document.dueDate }) } : { mode: 'upload' });
      })
      .catch((e: unknown) => live && setFailure(e));
    return () => {
      live = false;
    };
  }, [documentId]);

  const modes: Mode[] = ['write', 'upload'];
  return (
    <main className="compose-page">
      <h2>{documentId === undefined ? t('documents.composeTitle') : t('documents.editTitle')}</h2>
      {failure !== null && (
        <p role="alert" className="error">
          {errorText(failure, i18n.language)}
        </p>
      )}
      {documentId === undefined ? (
        <>
          <div role="tablist" aria-label={t('documents.draft.modesLabel')} className="compose-modes">
            {modes.map((m) => (
              <button key={m} type="button" role="tab" id={`compose-mode-${m}`} aria-selected={mode === m} aria-controls="compose-mode-panel" onClick={() => setMode(m)}>
                {t(m === 'write' ? 'documents.draft.writeMode' : 'documents.draft.uploadMode')}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="compose-mode-panel" aria-labelledby={`compose-mode-${mode}`}>
            {mode === 'write' ? (
              <DraftComposer />
            ) : (
              <>
                <p className="hint">{t('documents.draft.uploadHint')}</p>
                <ComposeForm />
              </>
            )}
          </div>
        </>
      ) : loaded?.mode === 'write' ? (
        <DraftComposer documentId={Number(documentId)} initial={loaded.values} />
      ) : loaded?.mode === 'upload' ? (
        <ComposeForm documentId={documentId} />
      ) : null}
    </main>
  );
}

function ComposeForm({ documentId }: { documentId?: string }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [values, setValues] = useState<ComposeValues>(emptyValues);
  const [existing, setExisting] = useState<{ document: DocumentRecordDto; files: { name: string; role: string }[] } | null>(null);
  const [files, setFiles] = useState<PickedFiles>({ main: null, appendices: [] });
  // Fields the user has left once: their messages show while typing; the rest wait for Save.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (documentId === undefined) return;
    let live = true;
    call('documents.get', { id: Number(documentId) })
      .then((got) => {
        if (!live) return;
        setExisting({ document: got.document, files: got.files });
        setValues(valuesFrom(got.document));
      })
      .catch((e: unknown) => live && setFailure(e));
    return () => {
      live = false;
    };
  }, [documentId]);

  useOwnAgency(documentId === undefined, setValues);

  const hasSavedMain = existing?.files.some((f) => f.role === 'main') ?? false;

  // Derived on every change: the messages follow what the user types.
  const problems = useMemo(() => {
    const found: Partial<Record<FieldName | 'main', FieldProblem | { key: 'mainRequired' }>> = validate(values);
    if (!files.main && !hasSavedMain) found.main = { key: 'mainRequired' };
    return found;
  }, [values, files, hasSavedMain]);

  const update = <K extends keyof ComposeValues>(key: K, value: ComposeValues[K]) => setValues((current) => ({ ...current, [key]: value }));

  const message = (field: FieldName | 'main'): string | undefined => {
    const problem = problems[field];
    if (!problem || (!touched.has(field) && !touched.has('*'))) return undefined;
    return t(`documents.errors.${problem.key}`, 'max' in problem ? { max: problem.max } : {});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(new Set(['*']));
    setFailure(null);
    if (Object.keys(problems).length > 0) {
      // Focus the first field with a problem, so a keyboard or screen-reader user lands on it.
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    try {
      const metadata = compact(toMetadata(values));
      const upload = [...(files.main ? [{ name: files.main.name, role: 'main' as const, contentBase64: files.main.contentBase64 }] : []), ...files.appendices.map((f) => ({ name: f.name, role: 'appendix' as const, contentBase64: f.contentBase64 }))];
      let id: number;
      if (existing) {
        const saved = await call('documents.updateMetadata', { id: existing.document.id, metadata });
        if (upload.length > 0) await call('documents.addFiles', { id: existing.document.id, files: upload });
        id = saved.id;
      } else {
        id = (await call('documents.create', { metadata, files: upload })).id;
      }
      navigate({ page: 'document', documentId: String(id) });
    } catch (e) {
      setFailure(e);
    } finally {
      setSaving(false);
    }
  };

  const textInput = (field: TextField, label: string, options: { multiline?: boolean; type?: string; list?: string } = {}) => {
    const error = message(field);
    const max = limits[field];
    const common = {
      id: `compose-${field}`,
      value: values[field],
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? `compose-${field}-error` : field === 'subject' ? 'compose-subject-count' : undefined,
      'aria-required': field === 'subject' ? true : undefined,
      onBlur: () => setTouched((s) => new Set(s).add(field)),
    };
    return (
      <div className={`field field-${field}`}>
        <label htmlFor={`compose-${field}`}>{label}</label>
        {options.multiline ? (
          <textarea {...common} rows={3} onChange={(e) => update(field, e.target.value)} />
        ) : (
          <input {...common} type={options.type ?? 'text'} list={options.list} onChange={(e) => update(field, e.target.value)} />
        )}
        {field === 'subject' && max !== undefined && (
          <span id="compose-subject-count" className="hint">
            {t('documents.subjectCount', { count: values.subject.trim().length, max })}
          </span>
        )}
        {error && (
          <span id={`compose-${field}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  const doc = existing?.document;
  const number = doc?.codeNumber && doc.codeNotation ? formatNumberNotation(doc.codeNumber, doc.codeNotation) : null;
  const showErrors = touched.has('*') && Object.keys(problems).length > 0;

  return (
    <>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="compose-metadata">
          <legend>{t('documents.metadataLegend')}</legend>
          {textInput('organName', t('documents.organName'))}
          {textInput('organId', t('documents.organId'))}
          {textInput('codeNotation', t('documents.codeNotation'))}
          {textInput('typeName', t('documents.typeName'), { list: 'compose-types' })}
          <datalist id="compose-types">
            {documentTypes.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          <div className="field">
            <label htmlFor="compose-number">{t('documents.numberNotation')}</label>
            <output id="compose-number">{number ?? t('documents.notAssigned')}</output>
          </div>
          {textInput('subject', t('documents.subject'), { multiline: true })}
          {textInput('signerPosition', t('documents.signerPosition'))}
          {textInput('signerFullName', t('documents.signerFullName'))}
          {textInput('issuedPlace', t('documents.issuedPlace'))}
          <div className="field field-dueDate">
            <DateField label={t('documents.dueDate')} value={values.dueDate} onChange={(v) => update('dueDate', v)} error={message('dueDate')} />
          </div>
          <UrgencyFields idPrefix="compose" priority={values.priority} secrecy={values.secrecy} onPriority={(v) => update('priority', v)} onSecrecy={(v) => update('secrecy', v)} />
        </fieldset>
        {existing && existing.files.length > 0 && (
          <section className="existing-files" aria-label={t('documents.existingFiles')}>
            <h3>{t('documents.existingFiles')}</h3>
            <ul>
              {existing.files.map((f) => (
                <li key={`${f.role}-${f.name}`}>{`${t(`documents.roles.${f.role}`)}: ${f.name}`}</li>
              ))}
            </ul>
          </section>
        )}
        <FilePicker
          files={files}
          hasSavedMain={hasSavedMain}
          mainError={message('main')}
          onChange={setFiles}
        />
        <RecipientPicker recipients={values.recipients} onChange={(r) => update('recipients', r)} error={message('recipients')} />
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
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t('documents.saving') : t('documents.save')}
          </button>
          <button type="button" onClick={() => navigate({ page: 'documents' })}>
            {t('documents.cancel')}
          </button>
        </div>
      </form>
    </>
  );
}
