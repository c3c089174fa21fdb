// Every string of the documents screens and the status chips exists in Vietnamese and English, with the same keys.
import { describe, expect, it } from 'vitest';
import { documentStateWords, recipientStatusTone, recipientStatusWords } from '../../../src/renderer/src/common/status-words.js';
import { documentsMessages } from '../../../src/renderer/src/documents/messages.js';
import { incomingStates, outgoingStates, recipientStatusCodes } from '../../../src/shared/document.js';

const keys = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, inner]) => (typeof inner === 'object' && inner !== null ? keys(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`])).sort();

const leaves = (value: object): string[] => Object.values(value).flatMap((inner) => (typeof inner === 'object' && inner !== null ? leaves(inner as object) : [String(inner)]));

describe('documents strings', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(keys(documentsMessages.en)).toEqual(keys(documentsMessages.vi));
    for (const text of [...leaves(documentsMessages.vi), ...leaves(documentsMessages.en)]) expect(text.trim()).not.toBe('');
  });

  it('names every recipient status code and document state in both languages', () => {
    for (const language of ['vi', 'en'] as const) {
      expect(Object.keys(recipientStatusWords[language]).sort()).toEqual([...recipientStatusCodes].sort());
      expect(Object.keys(documentStateWords[language]).sort()).toEqual([...new Set([...outgoingStates, ...incomingStates])].sort());
    }
    expect(Object.keys(recipientStatusTone).sort()).toEqual([...recipientStatusCodes].sort());
    expect(recipientStatusWords.vi['03']).toBe('Đã tiếp nhận');
  });
});
