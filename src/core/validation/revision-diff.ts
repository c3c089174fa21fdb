// Compares the revision a signature signed with the final file and sorts every change into allowed (signatures, DSS, timestamps) or not.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';
import { findSignatureFields } from './signature-fields.js';

export interface RevisionChanges {
  allowed: string[];
  disallowed: string[];
}

/** Keys of the catalog a later signature, DSS or timestamp may change. */
const CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata']);
/** Keys of the AcroForm dictionary signing may change. */
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);
/** Keys a signature field (merged with its widget) gets when it is signed. Not /Rect: signing does not move a field. */
const SIGNING_FIELD_KEYS = new Set(['V', 'AP', 'AS', 'F', 'MK', 'DA']);
/** The document information keys ISO 32000 defines; anything else in an "Info" dictionary is something else. */
const INFO_KEYS = new Set(['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped']);
/** Keys of the DSS and its VRI dictionaries (ETSI EN 319 142-1). */
const DSS_KEYS = new Set(['Type', 'Certs', 'OCSPs', 'CRLs', 'VRI', 'Cert', 'OCSP', 'CRL', 'TU', 'TS']);
/** Annotation flags that keep an annotation from being seen: Hidden (2) and NoView (32). */
const HIDING_FLAGS = 2 | 32;

const refKey = (ref: PDFRef): string => `${ref.objectNumber} ${ref.generationNumber}`;

export function fingerprint(object: PDFObject): string {
  if (object instanceof PDFRawStream) {
    return `${object.dict.toString()}|${createHash('sha256').update(object.contents).digest('hex')}`;
  }
  if (object instanceof PDFStream) return `${object.dict.toString()}|${createHash('sha256').update(object.getContents()).digest('hex')}`;
  return object.toString();
}

const typeOf = (object: PDFObject | undefined): string | undefined => {
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
  const type = dict?.get(PDFName.of('Type'));
  return type instanceof PDFName ? type.decodeText() : undefined;
};

/** Objects that only describe the file's own structure: they change with every incremental update. */
const isStructural = (object: PDFObject | undefined): boolean => typeOf(object) === 'XRef' || typeOf(object) === 'ObjStm';

function objectsOf(doc: PDFDocument): Map<string, PDFObject> {
  const objects = new Map<string, PDFObject>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) if (!isStructural(object)) objects.set(refKey(ref), object);
  return objects;
}

/** Keys whose values differ between two dictionaries (added, removed or changed). */
function changedKeys(before: PDFDict, after: PDFDict): string[] {
  const keys = new Set([...before.keys(), ...after.keys()].map((k) => k.decodeText()));
  return [...keys].filter((key) => {
    const a = before.get(PDFName.of(key));
    const b = after.get(PDFName.of(key));
    return (a ? fingerprint(a) : '') !== (b ? fingerprint(b) : '');
  });
}

/**
 * A /V that is one of the signatures the validator reports (reached through the form's /Fields, so
 * it is checked on its own: digest, binding to its bytes, chain), not just any value: a widget outside
 * /Fields could carry a copy of another signature's dictionary that nothing would ever check.
 */
const isValidatedSignature = (value: PDFObject | undefined, validated: Set<string>): boolean => value instanceof PDFRef && validated.has(refKey(value));

/** The field dictionary of a widget or field (itself or the nearest /Parent with /FT), when it is a signature field. */
function signatureFieldOf(doc: PDFDocument, entry: PDFObject): PDFDict | undefined {
  const dict = doc.context.lookup(entry);
  if (!(dict instanceof PDFDict)) return undefined;
  for (let node: PDFDict | undefined = dict, depth = 0; node && depth < 32; depth++) {
    const fieldType = node.get(PDFName.of('FT'));
    if (fieldType instanceof PDFName) return fieldType.decodeText() === 'Sig' ? node : undefined;
    node = node.lookupMaybe(PDFName.of('Parent'), PDFDict);
  }
  return undefined;
}

function isSignatureWidgetOrField(doc: PDFDocument, entry: PDFObject): boolean {
  return signatureFieldOf(doc, entry) !== undefined;
}

/**
 * Whether an entry added to /Annots (asAnnotation) or /Fields is a signature: a widget (any other
 * annotation subtype only wears /FT /Sig as a disguise) of a signature field that carries a signature
 * dictionary. An unsigned one passes only with nothing to show: with an appearance it would be
 * arbitrary content drawn over the page that no signature accounts for.
 */
function isSignatureAddition(doc: PDFDocument, entry: PDFObject, asAnnotation: boolean, validated: Set<string>): boolean {
  const dict = doc.context.lookup(entry);
  if (!(dict instanceof PDFDict)) return false;
  if (asAnnotation && dict.get(PDFName.of('Subtype')) !== PDFName.of('Widget')) return false;
  const field = signatureFieldOf(doc, entry);
  if (!field) return false;
  // Unsigned: no appearance, and no /MK a viewer could draw one from.
  return isValidatedSignature(field.get(PDFName.of('V')), validated) || (!dict.has(PDFName.of('AP')) && !dict.has(PDFName.of('MK')));
}

const flagsOf = (dict: PDFDict): number => {
  const flags = dict.get(PDFName.of('F'));
  return flags instanceof PDFNumber ? flags.asNumber() : 0;
};

/**
 * Objects a viewer draws: everything reachable from the pages (content, resources, fonts, XObjects,
 * annotations and their appearances), not following /Parent or /P back up the tree. Their changes
 * are never "metadata", "document information" or "validation data", whatever /Type they claim:
 * a form XObject or resource dictionary can carry /Type /Metadata or /Type /DSS and still be drawn.
 */
function renderedObjects(doc: PDFDocument): Set<string> | undefined {
  const seen = new Set<string>();
  let pending: PDFObject[];
  try {
    pending = doc.getPages().map((page) => page.ref);
  } catch {
    return undefined;
  }
  while (pending.length) {
    const object = pending.pop()!;
    if (object instanceof PDFRef) {
      const key = refKey(object);
      if (seen.has(key)) continue;
      seen.add(key);
      const target = doc.context.lookup(object);
      if (target) pending.push(target);
    } else if (object instanceof PDFArray) {
      pending.push(...object.asArray());
    } else if (object instanceof PDFDict || object instanceof PDFStream) {
      const dict = object instanceof PDFStream ? object.dict : object;
      for (const [key, value] of dict.entries()) if (key !== PDFName.of('Parent') && key !== PDFName.of('P')) pending.push(value);
    }
  }
  return seen;
}

/** The entries `after` adds to `before` when it keeps all of them; undefined when it drops or reorders some. */
function addedEntries(before: PDFArray | undefined, after: PDFArray | undefined): PDFObject[] | undefined {
  const old = (before?.asArray() ?? []).map(fingerprint);
  const now = after?.asArray() ?? [];
  if (now.length < old.length || old.some((entry, i) => fingerprint(now[i]!) !== entry)) return undefined;
  return now.slice(old.length);
}

const arrayValue = (doc: PDFDocument, dict: PDFDict, key: string): PDFArray | undefined => {
  const value = dict.get(PDFName.of(key));
  const resolved = value ? doc.context.lookup(value) : undefined;
  return resolved instanceof PDFArray ? resolved : undefined;
};

/**
 * What the final document changed relative to the signed revision. Allowed: new signatures and
 * their fields/widgets/appearances, the DSS, document timestamps, metadata. Anything that touches
 * page content, adds pages or non-signature annotations, or changes other objects is disallowed.
 */
export function diffRevisions(signed: PDFDocument, final: PDFDocument): RevisionChanges {
  const before = objectsOf(signed);
  const after = objectsOf(final);
  const allowed = new Set<string>();
  const disallowed: string[] = [];
  const trailerInfo = final.context.trailerInfo.Info;
  const infoKey = trailerInfo instanceof PDFRef ? refKey(trailerInfo) : undefined;

  // Indirect arrays used as /Annots of a page or /Fields of the AcroForm: growth by signature entries is fine.
  const annotsArrays = new Set<string>();
  const fieldArrays = new Set<string>();
  for (const object of after.values()) {
    if (!(object instanceof PDFDict)) continue;
    const annots = object.get(PDFName.of('Annots'));
    if (typeOf(object) === 'Page' && annots instanceof PDFRef) annotsArrays.add(refKey(annots));
    const fields = object.get(PDFName.of('Fields'));
    if (fields instanceof PDFRef) fieldArrays.add(refKey(fields));
  }

  const signedInfo = signed.context.trailerInfo.Info;
  const rendered = renderedObjects(final);
  const validated = new Set(findSignatureFields(final).flatMap((field) => (field.valueRef ? [field.valueRef] : [])));

  const checkArrayGrowth = (label: string, old: PDFArray | undefined, now: PDFArray | undefined, what: string): void => {
    const added = addedEntries(old, now);
    if (!added) disallowed.push(`${label}: ${what} removed or reordered`);
    else if (added.some((entry) => !isSignatureAddition(final, entry, what === 'annotations', validated))) disallowed.push(`${label}: ${what} other than signatures added`);
    else if (added.length) allowed.add(`${what}: signature added`);
  };

  for (const [key, now] of after) {
    const old = before.get(key);
    if (!old) continue; // New objects matter only through the existing objects that reach them, checked below.
    if (fingerprint(old) === fingerprint(now)) continue;
    const label = `object ${key} R${typeOf(now) ? ` (${typeOf(now)})` : ''}`;
    // Pages that cannot be listed leave no way to tell what is drawn: then nothing passes as metadata.
    const drawn = rendered?.has(key) ?? true;
    // The Info dictionary may be rewritten, but only the Info the signed revision had, with its own keys.
    const sameInfo = key === infoKey && signedInfo instanceof PDFRef && refKey(signedInfo) === key;
    if (sameInfo && !drawn && old instanceof PDFDict && now instanceof PDFDict && !(now instanceof PDFStream) && changedKeys(old, now).every((k) => INFO_KEYS.has(k))) {
      allowed.add('document information (Info) updated');
      continue;
    }
    // XMP is a stream of /Subtype /XML: viewers draw a form XObject only as /Subtype /Form.
    const isXmp = (object: PDFObject): boolean => object instanceof PDFStream && typeOf(object) === 'Metadata' && object.dict.get(PDFName.of('Subtype')) === PDFName.of('XML');
    if (!drawn && isXmp(old) && isXmp(now)) {
      allowed.add('XMP metadata updated');
      continue;
    }
    if (old instanceof PDFArray && now instanceof PDFArray && (annotsArrays.has(key) || fieldArrays.has(key))) {
      checkArrayGrowth(label, old, now, annotsArrays.has(key) ? 'annotations' : 'form fields');
      continue;
    }
    if (!(old instanceof PDFDict) || !(now instanceof PDFDict) || old instanceof PDFStream || now instanceof PDFStream) {
      disallowed.push(`${label} changed`);
      continue;
    }
    const keys = changedKeys(old, now);
    const type = typeOf(now);
    if (type === 'Catalog') {
      const bad = keys.filter((k) => !CATALOG_KEYS.has(k));
      if (bad.length) disallowed.push(`catalog entries ${bad.join(', ')} changed`);
      if (keys.includes('AcroForm')) checkAcroForm(old, now);
      if (keys.includes('DSS')) allowed.add('validation data (DSS) added');
    } else if (type === 'Page') {
      const bad = keys.filter((k) => k !== 'Annots');
      if (bad.length) disallowed.push(`page ${label}: ${bad.map((k) => (k === 'Contents' ? 'content' : k)).join(', ')} changed`);
      if (keys.includes('Annots')) checkArrayGrowth(label, arrayValue(signed, old, 'Annots'), arrayValue(final, now, 'Annots'), 'annotations');
    } else if (type === 'Pages') {
      disallowed.push('pages added, removed or reordered');
    } else if (
      isSignatureWidgetOrField(final, now) &&
      keys.every((k) => SIGNING_FIELD_KEYS.has(k)) &&
      !old.get(PDFName.of('V')) &&
      // Signing an empty field gives it a signature dictionary; it does not reveal a field hidden when the earlier signer signed.
      isValidatedSignature(now.get(PDFName.of('V')), validated) &&
      (flagsOf(old) & HIDING_FLAGS & ~flagsOf(now)) === 0
    ) {
      allowed.add('empty signature field signed');
    } else if (!drawn && keys.every((k) => ACROFORM_KEYS.has(k)) && now.get(PDFName.of('Fields'))) {
      checkAcroForm(old, now);
    } else if (!drawn && (typeOf(now) === 'DSS' || typeOf(now) === 'VRI') && typeOf(old) === typeOf(now) && keys.every((k) => DSS_KEYS.has(k))) {
      allowed.add('validation data (DSS) updated');
    } else {
      disallowed.push(`${label}: ${keys.join(', ')} changed`);
    }
  }
  for (const key of before.keys()) if (!after.has(key)) disallowed.push(`object ${key} R deleted`);
  return { allowed: [...allowed], disallowed };

  function checkAcroForm(oldHolder: PDFDict, newHolder: PDFDict): void {
    const oldForm = oldHolder.get(PDFName.of('Fields')) ? oldHolder : signed.context.lookupMaybe(oldHolder.get(PDFName.of('AcroForm')), PDFDict);
    const newForm = newHolder.get(PDFName.of('Fields')) ? newHolder : final.context.lookupMaybe(newHolder.get(PDFName.of('AcroForm')), PDFDict);
    if (!newForm) return void disallowed.push('form (AcroForm) removed');
    const bad = oldForm ? changedKeys(oldForm, newForm).filter((k) => !ACROFORM_KEYS.has(k)) : [];
    if (bad.length) disallowed.push(`form (AcroForm) entries ${bad.join(', ')} changed`);
    if (!(newForm.get(PDFName.of('Fields')) instanceof PDFRef)) {
      checkArrayGrowth('form (AcroForm)', oldForm && arrayValue(signed, oldForm, 'Fields'), arrayValue(final, newForm, 'Fields'), 'form fields');
    }
  }
}
