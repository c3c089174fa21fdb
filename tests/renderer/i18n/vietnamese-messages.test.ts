// Every Vietnamese message the screens can show (the i18n tables, status words, the error catalogue) holds no English word.
import { describe, expect, it } from 'vitest';
import { documentStateWords, recipientStatusWords } from '../../../src/renderer/src/common/status-words.js';
import { messages } from '../../../src/renderer/src/i18n/index.js';
import { englishWords } from '../../../src/shared/english-words.js';
import { errorCatalogue } from '../../../src/shared/errors.js';

const leaves = (value: unknown, prefix = ''): [string, string][] =>
  typeof value === 'string'
    ? [[prefix, value]]
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key))
      : [];

/**
 * Literal text a person types as it is, in the CLI's and the server's messages: options (--page N, --rect x,y,…),
 * URL paths, schemes, HTTP headers, command names.
 */
const LITERALS = [/\bnn\/tt\/nnnn\b/g, /\bVGCA Sign Service\b/g, /--[\w-]+(?: [A-Z]\b)?/g, /\b[a-z](?:,[\p{L}]+)+/gu, /\/[\w/.]+/g, /\b[a-z]+:(?:\/\/)?/g, /\(Authorization: Bearer …\)/g, /\bIdempotency-Key\b/g, /\blệnh \w+/g, /\b\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\b/g];

/** The English words a message shows once its {{placeholders}} (data) and literals are left out. */
const wordsOf = (text: string): string[] => englishWords(LITERALS.reduce((t, literal) => t.replace(literal, ' '), text.replace(/\{\{[^}]+\}\}/g, ' ')));

describe('Vietnamese messages', () => {
  it('the i18n tables hold no English word in any vi message', () => {
    const found = leaves(messages.vi).flatMap(([key, text]) => (wordsOf(text).length ? [`${key}: ${wordsOf(text).join(', ')} — “${text}”`] : []));
    expect(found).toEqual([]);
  });

  it('the status words hold none either', () => {
    const found = leaves({ state: documentStateWords.vi, recipient: recipientStatusWords.vi }).filter(([, text]) => wordsOf(text).length);
    expect(found).toEqual([]);
  });

  it('the error catalogue says every Vietnamese message without English (parameters are data, left out)', () => {
    const params = new Proxy({}, { get: (_, key) => (key === 'triesLeft' ? 1 : ' ') });
    const found = Object.entries(errorCatalogue).flatMap(([code, entry]) => {
      const text = (entry.vi as (p: object) => string)(params);
      return wordsOf(text).length ? [`${code}: ${wordsOf(text).join(', ')} — “${text}”`] : [];
    });
    expect(found).toEqual([]);
  });

  it('the detector can fail: it names English words and passes Vietnamese, technical names and unmarked Vietnamese words', () => {
    expect(englishWords('Connected to the server')).toEqual(['Connected', 'the', 'server']);
    expect(englishWords('Choose File')).toEqual(['Choose', 'File']);
    expect(englishWords('Đã kết nối máy chủ qua HTTPS; tệp PDF, mã PIN của USB token')).toEqual([]);
    expect(englishWords('In sổ văn bản đi; an toàn; to lớn; can thiệp')).toEqual([]);
  });
});
