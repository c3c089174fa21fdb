// Tells English words from Vietnamese in a message: a Vietnamese screen must never show a raw English detail from a library or the core.

/** Technical names a Vietnamese clerk meets as they are (like "PDF"); plain ASCII letters otherwise must spell Vietnamese syllables. */
const TECHNICAL = new Set(['PDF', 'PNG', 'PAdES', 'CAdES', 'OCSP', 'CRL', 'SHA', 'CA', 'TSA', 'USB', 'PIN', 'PKCS', 'HTTP', 'HTTPS', 'JSON', 'URL', 'RSA', 'ECDSA', 'ID', 'B', 'T', 'LT', 'LTA', 'CMS', 'SQLite', 'edXML', 'token', 'Token', 'byte', 'vanthu',
  'PEM', 'DER', 'FTS', 'XML', 'QCVN', 'UUID', 'DOCTYPE', 'ENTITY', 'XXE', 'Ed', 'pt', 'Unicode', 'LibreOffice', 'Word', 'Liberation', 'Serif', 'docx', 'Excel', 'xlsx',
  // Package names of the tools the demo needs.
  'softhsm', 'opensc', 'openssl',
  // Units, keys as printed on the keyboard, loanwords, and the abbreviations of Decree 30 (UBND, TM., KT., TL., TUQ., Lưu: VT).
  'KB', 'MB', 'GB', 'Shift', 'Ctrl', 'Enter', 'Esc', 'Tab', 'Page', 'Up', 'Down', 'web', 'UBND', 'VP', 'VT', 'TM', 'KT', 'TL', 'TUQ', 'CP', 'Q',
  // X.509 key usages, named as the certificate names them.
  'keyCertSign', 'digitalSignature', 'nonRepudiation']);
/**
 * English words that are also spelled like Vietnamese syllables, so the syllable test alone would let them through
 * (not "in", "to", "no", "an": unmarked Vietnamese words too — "In sổ", "an toàn").
 */
const ENGLISH_LOOKALIKES = new Set(['the', 'at', 'by', 'on', 'not', 'but', 'then', 'than', 'is', 'it', 'of', 'and', 'or', 'for', 'has', 'was', 'cannot']);
// A Vietnamese syllable written without its marks: initial consonant, vowels, final consonant.
const VIETNAMESE_SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?[aeiouy]{1,3}(ch|ng|nh|c|m|n|p|t)?$/;

/** The words of the text that read as English (not Vietnamese, not a technical name everyone uses). */
export function englishWords(text: string): string[] {
  return text
    .split(/[^\p{L}]+/u)
    .filter((w) => /^[A-Za-z]+$/.test(w))
    .filter((w) => !TECHNICAL.has(w) && !TECHNICAL.has(w.toUpperCase()) && (ENGLISH_LOOKALIKES.has(w.toLowerCase()) || !VIETNAMESE_SYLLABLE.test(w.toLowerCase())));
}

export const hasEnglish = (text: string): boolean => englishWords(text).length > 0;

/** A name Vietnamese screens use as it is (PDF, PAdES, RSA, KB…). */
export const isTechnicalName = (word: string): boolean => TECHNICAL.has(word) || TECHNICAL.has(word.toUpperCase());
