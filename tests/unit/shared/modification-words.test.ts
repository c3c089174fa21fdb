// Modification wording: every code has Vietnamese without English words or raw PDF references, and English naming the object.
import { describe, expect, it } from 'vitest';
import { modification, type ModificationCode } from '../../../src/shared/modification-words.js';

const CODES: ModificationCode[] = [
  'ANNOTATION_SIGNATURE_ADDED', 'FIELD_SIGNATURE_ADDED', 'EMPTY_SIGNATURE_FIELD_SIGNED', 'DSS_ADDED', 'DSS_UPDATED', 'INFO_UPDATED', 'XMP_UPDATED',
  'FORM_SETTINGS_UPDATED', 'PERMISSIONS_UPDATED', 'TOOL_PRIVATE_KEY', 'SAME_CONTENT_REWRITTEN', 'PAGE_CONTENT_CHANGED', 'PAGES_CHANGED',
  'ANNOTATION_ADDED', 'ANNOTATIONS_REMOVED', 'FORM_FIELD_ADDED', 'FORM_FIELDS_REMOVED', 'FORM_FIELD_CHANGED', 'FORM_CHANGED', 'FORM_REMOVED',
  'CATALOG_CHANGED', 'CATALOG_REPLACED', 'OBJECT_CHANGED', 'OBJECT_DELETED', 'OBJECT_GENERATION_CHANGED', 'OBJECT_REPLACED_BY_XREF',
  'OBJECT_REDIRECTED_IN_SIGNED_BYTES', 'MISSING_OBJECT_DEFINED', 'REVISION_UNREADABLE',
];
const PARAMS = { object: 12, generation: 0, type: 'Annot', page: 2, keys: 'V, AP', label: 'object 9 0 R', subtype: 'FreeText', key: 'ITXT', tool: 'iText', count: 3, before: '1 0', after: '8 0', found: 'another object is there', detail: 'unexpected end of file' };
const ENGLISH = /\b(object|page|pages|changed|added|removed|updated|catalog|form|fields?|xref|cross-reference|annotations?|signature|document|metadata|trailer|generation|Annot|Page|Font|Info|DSS|XMP|AcroForm|VRI|Root|Contents|Resources)\b|\d+ \d+ R\b|\/[A-Z]/;

describe('modification words', () => {
  for (const code of CODES) {
    it(`${code}: Vietnamese holds no English word, English names what changed`, () => {
      const change = modification(code, false, PARAMS);
      expect(change.messageVi).not.toMatch(ENGLISH);
      expect(change.messageVi.length).toBeGreaterThan(10);
      expect(change.messageEn).toMatch(/[a-z]/);
      expect(change).toMatchObject({ code, params: PARAMS, allowed: false });
    });
  }

  it('names objects by number in Vietnamese ("đối tượng số 12"), and pages by their number', () => {
    expect(modification('OBJECT_CHANGED', false, { object: 12, generation: 0, type: 'Font', keys: 'BaseFont' })).toMatchObject({
      messageVi: 'đối tượng số 12 (phông chữ) bị thay đổi',
      messageEn: 'object 12 0 R (Font): BaseFont changed',
    });
    expect(modification('PAGE_CONTENT_CHANGED', false, { object: 4, generation: 0, type: 'Page', page: 1, keys: 'content' }).messageVi).toBe('nội dung trang 1 bị thay đổi');
  });
});
