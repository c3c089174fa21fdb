// Compares the revision a signature signed with the final file as viewers see them, and sorts every change into allowed (signatures, DSS, timestamps, metadata) or not.
import { modification, type Modification, type ModificationCode, type ModificationParams } from '../../shared/modification-words.js';
import { PdfDict, PdfRef, PdfStream, dictOf, nameOf, numberOf, refKey, textOf, typeOf, type PdfValue, type Revision } from '../pdf/reader/index.js';
import { ContentEquality } from './content-equality.js';
import { findSignatureFields } from './signature-fields.js';

export interface RevisionChanges {
  allowed: string[];
  disallowed: string[];
  changes: Modification[];
}

/** Keys of the catalog a later signature, DSS or timestamp may change. */
const CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata', 'Perms']);
/** Keys of the AcroForm dictionary signing may change. */
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);
/** Keys a signature field (merged with its widget) gets when it is signed. Not /Rect: signing does not move a field. */
const SIGNING_FIELD_KEYS = new Set(['V', 'AP', 'AS', 'F', 'MK', 'DA']);
/** The document information keys ISO 32000 defines; anything else in an "Info" dictionary is something else. */
const INFO_KEYS = new Set(['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped']);
/** Keys of the DSS and its VRI dictionaries (ETSI EN 319 142-1). */
const DSS_KEYS = new Set(['Type', 'Certs', 'OCSPs', 'CRLs', 'VRI', 'Cert', 'OCSP', 'CRL', 'TU', 'TS']);
/** Private keys known tools write into the catalog and the page tree on every save; viewers draw nothing from them. */
const TOOL_KEYS: Record<string, string> = { ITXT: 'iText', PieceInfo: 'Adobe Acrobat', LastModified: 'Adobe Acrobat' };
const TOOL_KEY_TYPES = new Set(['Catalog', 'Pages', 'Page']);
/** Annotation flags that keep an annotation from being seen: Hidden (2) and NoView (32). */
const HIDING_FLAGS = 2 | 32;
const MAX_PAGES = 100_000;

const isStructural = (value: PdfValue): boolean => typeOf(value) === 'XRef' || typeOf(value) === 'ObjStm';
const plainDict = (value: PdfValue): value is PdfDict => value instanceof PdfDict && !(value instanceof PdfStream);
const keyWords = (keys: string[]): string => keys.map((k) => (k === 'Contents' ? 'content' : k)).join(', ');

/**
 * What the final file changed relative to the signed revision, as a viewer opening each sees it. Only
 * objects whose cross-reference entry changed can differ (the signed bytes are fixed); each is compared
 * by resolved content, and what differs is judged by what it is.
 */
export function diffRevisions(signed: Revision, final: Revision): RevisionChanges {
  const changes: Modification[] = [];
  const seen = new Set<string>();
  const add = (code: ModificationCode, allowed: boolean, params: ModificationParams = {}): void => {
    const change = modification(code, allowed, params);
    if (seen.has(change.messageEn)) return;
    seen.add(change.messageEn);
    changes.push(change);
  };
  const equal = new ContentEquality(signed, final);
  const validated = new Set(findSignatureFields(final).flatMap((field) => (field.valueRef ? [field.valueRef] : [])));

  let pageList: number[] | undefined;
  /** Object numbers of the final file's pages, in order (empty when the page tree cannot be read). */
  const pages = (): number[] => {
    if (pageList) return pageList;
    pageList = [];
    const visited = new Set<number>();
    const walk = (node: PdfValue | undefined, depth: number): void => {
      if (!(node instanceof PdfRef) || visited.has(node.num) || depth > 64 || pageList!.length > MAX_PAGES) return;
      visited.add(node.num);
      const dict = final.dict(node);
      if (!dict) return;
      const kids = final.array(dict.get('Kids'));
      if (nameOf(dict.get('Type')) === 'Page' || !kids) pageList!.push(node.num);
      else for (const kid of kids) walk(kid, depth + 1);
    };
    walk(final.catalog()?.get('Pages'), 0);
    return pageList;
  };
  const pageNumber = (num: number): number | undefined => {
    const index = pages().indexOf(num);
    return index < 0 ? undefined : index + 1;
  };

  let renderedSet: Set<number> | undefined;
  /**
   * Objects a viewer draws: everything reachable from the pages (content, resources, fonts, XObjects,
   * annotations and their appearances), not following /Parent or /P back up the tree. Their changes are
   * never "metadata", "document information" or "validation data", whatever /Type they claim.
   */
  const drawn = (num: number): boolean => {
    if (!renderedSet) {
      renderedSet = new Set();
      const pending: PdfValue[] = pages().map((n) => new PdfRef(n, 0));
      let budget = 1_000_000;
      while (pending.length && budget-- > 0) {
        const value = pending.pop()!;
        if (value instanceof PdfRef) {
          if (renderedSet.has(value.num)) continue;
          renderedSet.add(value.num);
          pending.push(final.resolve(value.num).value);
        } else if (Array.isArray(value)) pending.push(...value);
        else if (value instanceof PdfDict || value instanceof PdfStream) {
          for (const [key, item] of dictOf(value)!.entries) if (key !== 'Parent' && key !== 'P') pending.push(item);
        }
      }
    }
    // Pages that cannot be listed leave no way to tell what is drawn: then nothing passes as metadata.
    return pages().length === 0 || renderedSet.has(num);
  };

  // Indirect arrays used as /Annots of a page or /Fields of the AcroForm: growth by signature entries is fine.
  const annotsArrays = new Map<number, number>();
  const fieldArrays = new Set<number>();
  for (const page of pages()) {
    const annots = final.dict(new PdfRef(page, 0))?.get('Annots');
    if (annots instanceof PdfRef) annotsArrays.set(annots.num, page);
  }
  const form = final.dict(final.catalog()?.get('AcroForm'));
  const formRef = final.catalog()?.get('AcroForm');
  const fieldsRef = form?.get('Fields');
  if (fieldsRef instanceof PdfRef) fieldArrays.add(fieldsRef.num);
  // The DSS and its VRI dictionaries, found from the catalog: their /Type is optional.
  const dssObjects = new Set<number>();
  const dssRef = final.catalog()?.get('DSS');
  if (dssRef instanceof PdfRef) dssObjects.add(dssRef.num);
  const vri = final.dict(dssRef)?.get('VRI');
  if (vri instanceof PdfRef) dssObjects.add(vri.num);
  for (const value of final.dict(vri)?.entries.values() ?? []) if (value instanceof PdfRef) dssObjects.add(value.num);

  const signatureFieldOf = (entry: PdfValue): PdfDict | undefined => {
    let node = final.dict(entry);
    for (let depth = 0; node && depth < 32; depth++) {
      const fieldType = nameOf(node.get('FT'));
      if (fieldType) return fieldType === 'Sig' ? node : undefined;
      node = final.dict(node.get('Parent'));
    }
    return undefined;
  };
  const isValidatedSignature = (value: PdfValue | undefined): boolean => value instanceof PdfRef && validated.has(refKey(value));
  /**
   * Whether an entry added to /Annots or /Fields is a signature: a widget (any other annotation subtype
   * only wears /FT /Sig as a disguise) of a signature field that carries a checked signature dictionary.
   * An unsigned one passes only with nothing to show.
   */
  const isSignatureAddition = (entry: PdfValue, asAnnotation: boolean): boolean => {
    const dict = final.dict(entry);
    if (!dict) return false;
    if (asAnnotation && nameOf(dict.get('Subtype')) !== 'Widget') return false;
    const field = signatureFieldOf(entry);
    if (!field) return false;
    return isValidatedSignature(field.get('V')) || (!dict.has('AP') && !dict.has('MK'));
  };

  const checkArrayGrowth = (label: string, old: PdfValue[] | undefined, now: PdfValue[] | undefined, annotations: boolean, page: number | undefined): void => {
    const before = old ?? [];
    const after = now ?? [];
    if (after.length < before.length || before.some((entry, i) => !equal.same(entry, after[i]))) {
      add(annotations ? 'ANNOTATIONS_REMOVED' : 'FORM_FIELDS_REMOVED', false, { label, page });
      return;
    }
    const added = after.slice(before.length);
    const foreign = added.find((entry) => !isSignatureAddition(entry, annotations));
    if (foreign !== undefined) {
      add(annotations ? 'ANNOTATION_ADDED' : 'FORM_FIELD_ADDED', false, { label, page, subtype: nameOf(final.dict(foreign)?.get('Subtype')) });
    } else if (added.length) add(annotations ? 'ANNOTATION_SIGNATURE_ADDED' : 'FIELD_SIGNATURE_ADDED', true);
  };

  const checkAcroForm = (oldHolder: PdfDict, newHolder: PdfDict): void => {
    const oldForm = oldHolder.has('Fields') ? oldHolder : signed.dict(oldHolder.get('AcroForm'));
    const newForm = newHolder.has('Fields') ? newHolder : final.dict(newHolder.get('AcroForm'));
    if (!newForm) return add('FORM_REMOVED', false);
    const keys = oldForm ? equal.changedKeys(oldForm, newForm) : [];
    const bad = keys.filter((k) => !ACROFORM_KEYS.has(k));
    if (bad.length) add('FORM_CHANGED', false, { keys: bad.join(', ') });
    if (keys.some((k) => k !== 'Fields' && ACROFORM_KEYS.has(k))) add('FORM_SETTINGS_UPDATED', true);
    if (!(newForm.get('Fields') instanceof PdfRef)) {
      checkArrayGrowth('form (AcroForm)', oldForm && signed.array(oldForm.get('Fields')), final.array(newForm.get('Fields')), false, undefined);
    }
  };

  /** Judges one dictionary that differs: allowed when signing, DSS or metadata explain every changed key. */
  const judge = (num: number, gen: number, old: PdfValue, now: PdfValue): void => {
    const type = typeOf(now);
    const object: ModificationParams = { object: num, generation: gen, type };
    const infoNow = final.trailer.get('Info');
    const infoBefore = signed.trailer.get('Info');
    const isInfo = infoNow instanceof PdfRef && infoNow.num === num && infoBefore instanceof PdfRef && infoBefore.num === num;
    if (isInfo && !drawn(num) && plainDict(old) && plainDict(now) && equal.changedKeys(old, now).every((k) => INFO_KEYS.has(k))) {
      return add('INFO_UPDATED', true);
    }
    // XMP is a stream of /Subtype /XML: viewers draw a form XObject only as /Subtype /Form.
    const isXmp = (value: PdfValue): boolean => value instanceof PdfStream && typeOf(value) === 'Metadata' && nameOf(value.dict.get('Subtype')) === 'XML';
    if (!drawn(num) && isXmp(old) && isXmp(now)) return add('XMP_UPDATED', true);
    if (Array.isArray(old) && Array.isArray(now) && (annotsArrays.has(num) || fieldArrays.has(num))) {
      const page = annotsArrays.get(num);
      return checkArrayGrowth(`object ${num} ${gen} R`, old, now, page !== undefined, page === undefined ? undefined : pageNumber(page));
    }
    if (!plainDict(old) || !plainDict(now)) return add('OBJECT_CHANGED', false, object);
    let keys = equal.changedKeys(old, now);
    if (type && TOOL_KEY_TYPES.has(type)) {
      for (const key of keys.filter((k) => TOOL_KEYS[k])) add('TOOL_PRIVATE_KEY', true, { ...object, key, tool: TOOL_KEYS[key] });
      keys = keys.filter((k) => !TOOL_KEYS[k]);
    }
    if (keys.length === 0) return;
    if (type === 'Catalog') {
      const bad = keys.filter((k) => !CATALOG_KEYS.has(k));
      if (bad.length) add('CATALOG_CHANGED', false, { keys: bad.join(', ') });
      if (keys.includes('AcroForm')) checkAcroForm(old, now);
      if (keys.includes('DSS')) add(old.has('DSS') ? 'DSS_UPDATED' : 'DSS_ADDED', true);
      if (keys.includes('Perms')) add('PERMISSIONS_UPDATED', true);
      return;
    }
    if (type === 'Page') {
      const bad = keys.filter((k) => k !== 'Annots');
      if (bad.length) add('PAGE_CONTENT_CHANGED', false, { ...object, page: pageNumber(num), keys: keyWords(bad) });
      if (keys.includes('Annots')) checkArrayGrowth(`page object ${num} ${gen} R`, signed.array(old.get('Annots')), final.array(now.get('Annots')), true, pageNumber(num));
      return;
    }
    if (type === 'Pages') return add('PAGES_CHANGED', false);
    const flags = (dict: PdfDict): number => numberOf(dict.get('F')) ?? 0;
    if (
      signatureFieldOf(new PdfRef(num, gen)) &&
      keys.every((k) => SIGNING_FIELD_KEYS.has(k)) &&
      !old.get('V') &&
      // Signing an empty field gives it a signature dictionary; it does not reveal a field hidden when the earlier signer signed.
      isValidatedSignature(now.get('V')) &&
      (flags(old) & HIDING_FLAGS & ~flags(now)) === 0
    ) {
      return add('EMPTY_SIGNATURE_FIELD_SIGNED', true);
    }
    const isForm = formRef instanceof PdfRef ? formRef.num === num : false;
    if (!drawn(num) && (isForm || now.has('Fields')) && keys.every((k) => ACROFORM_KEYS.has(k))) return checkAcroForm(old, now);
    const isDss = dssObjects.has(num) || type === 'DSS' || type === 'VRI';
    if (!drawn(num) && isDss && typeOf(old) === type && keys.every((k) => DSS_KEYS.has(k))) return add('DSS_UPDATED', true);
    const fieldName = textOf(now.get('T'));
    if (now.has('FT') || now.has('Parent')) return add('FORM_FIELD_CHANGED', false, { ...object, keys: keys.join(', '), field: fieldName });
    add('OBJECT_CHANGED', false, { ...object, keys: keys.join(', ') });
  };

  let referenced: Set<number> | undefined;
  /** Every object number the signed revision refers to from its trailer on, whether or not it resolves. */
  const signedReferences = (): Set<number> => {
    if (referenced) return referenced;
    referenced = new Set();
    const visited = new Set<number>();
    const pending: PdfValue[] = [...signed.trailer.entries].filter(([key]) => key !== 'Prev' && key !== 'XRefStm').map(([, value]) => value);
    let budget = 2_000_000;
    while (pending.length && budget-- > 0) {
      const value = pending.pop()!;
      if (value instanceof PdfRef) {
        referenced.add(value.num);
        if (visited.has(value.num)) continue;
        visited.add(value.num);
        pending.push(signed.resolve(value.num).value);
      } else if (Array.isArray(value)) pending.push(...value);
      else if (value instanceof PdfDict || value instanceof PdfStream) pending.push(...dictOf(value)!.entries.values());
    }
    return referenced;
  };

  // The catalog viewers open: another object than when signed is a replacement, unless it says the same.
  const [rootBefore, rootAfter] = [signed.rootRef, final.rootRef];
  if (rootBefore?.num !== rootAfter?.num || rootBefore?.gen !== rootAfter?.gen) {
    const [oldCatalog, newCatalog] = [signed.catalog(), final.catalog()];
    const bad = oldCatalog && newCatalog ? equal.changedKeys(oldCatalog, newCatalog).filter((k) => !CATALOG_KEYS.has(k) && !TOOL_KEYS[k]) : ['Root'];
    if (bad.length) add('CATALOG_REPLACED', false, { before: rootBefore ? refKey(rootBefore) : '?', after: rootAfter ? refKey(rootAfter) : '?' });
    else if (oldCatalog && newCatalog) judge(rootAfter?.num ?? 0, rootAfter?.gen ?? 0, oldCatalog, newCatalog);
  }

  let sameContent = 0;
  const numbers = new Set([...signed.numbers(), ...final.numbers()]);
  for (const num of [...numbers].sort((a, b) => a - b)) {
    if (num === 0 || final.sameEntryAs(signed, num)) continue;
    const before = signed.resolve(num);
    const after = final.resolve(num);
    const existed = before.status === 'ok' && !isStructural(before.value);
    if (after.status === 'free' || after.status === 'missing') {
      if (existed) add('OBJECT_DELETED', false, { object: num });
      continue;
    }
    if (after.status !== 'ok') {
      // The hide attacks: the entry points at another object's bytes, at garbage, or past the end.
      if (existed) add('OBJECT_REPLACED_BY_XREF', false, { object: num, found: after.status === 'not-that-object' ? 'another object is there' : 'nothing readable is there' });
      continue;
    }
    // New objects matter only through the existing objects that reach them, except a number the signed revision
    // already referred to: defining it later changes what viewers show through an object nobody rewrote.
    if (!existed) {
      if (!isStructural(after.value) && signedReferences().has(num)) add('MISSING_OBJECT_DEFINED', false, { object: num });
      continue;
    }
    const oldGen = before.entry?.type === 'direct' ? before.entry.gen : 0;
    const gen = after.entry?.type === 'direct' ? after.entry.gen : 0;
    // References name a generation, and viewers disagree on a mismatch: an object redefined under a new generation is a change.
    if (oldGen !== gen) {
      add('OBJECT_GENERATION_CHANGED', false, { object: num, generation: gen, before: oldGen });
      continue;
    }
    if (isStructural(after.value)) continue;
    if (equal.same(before.value, after.value)) {
      sameContent++;
      continue;
    }
    // Writers append what they change; an entry moved to other bytes of the signed revision selects a hidden definition.
    const entry = after.entry;
    const holder = entry?.type === 'compressed' ? final.entry(entry.stream) : entry;
    if (holder?.type === 'direct' && holder.offset < signed.end) {
      add('OBJECT_REDIRECTED_IN_SIGNED_BYTES', false, { object: num });
      continue;
    }
    judge(num, gen, before.value, after.value);
  }
  if (sameContent) add('SAME_CONTENT_REWRITTEN', true, { count: sameContent });
  return {
    allowed: changes.filter((c) => c.allowed).map((c) => c.messageEn),
    disallowed: changes.filter((c) => !c.allowed).map((c) => c.messageEn),
    changes,
  };
}

