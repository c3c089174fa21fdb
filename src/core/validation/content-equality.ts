// Compares PDF values of two revisions by resolved content: references followed (with a cycle guard), dictionary key order ignored, stream data compared decoded when the encodings differ.
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, decodeStream, type PdfValue, type Revision } from '../pdf/reader/index.js';

/** Comparisons one question may make before it gives up and calls the values different (so a change is reported, never hidden). */
const BUDGET = 200_000;
/** Comparisons all questions about one pair of revisions may make together: a hostile file cannot multiply the work. */
const TOTAL_BUDGET = 5_000_000;
const MAX_DEPTH = 200;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

function decodedOrUndefined(stream: PdfStream): Uint8Array | undefined {
  try {
    return decodeStream(stream);
  } catch {
    return undefined;
  }
}

/**
 * Equality of a value in `before` and one in `after` as a viewer would see them. A reference to the same
 * object number counts as equal without looking further: that object's own changes are judged on their
 * own. References to different numbers are followed, so a new object with the same content equals the old.
 */
export class ContentEquality {
  private budget = BUDGET;
  private total = TOTAL_BUDGET;
  private readonly assumed = new Set<string>();

  constructor(
    private readonly before: Revision,
    private readonly after: Revision,
  ) {}

  same(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
    this.budget = Math.min(BUDGET, this.total);
    const start = this.budget;
    const result = this.compare(a ?? null, b ?? null, 0);
    this.total -= start - Math.max(0, this.budget);
    return result;
  }

  private compare(a: PdfValue, b: PdfValue, depth: number): boolean {
    if (--this.budget < 0 || depth > MAX_DEPTH) return false;
    if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num && a.gen === b.gen) return true;
    if (a instanceof PdfRef || b instanceof PdfRef) {
      const key = `${a instanceof PdfRef ? a.num : 'd'}:${b instanceof PdfRef ? b.num : 'd'}`;
      // A pair already being compared further up is assumed equal: its other parts decide.
      if (this.assumed.has(key)) return true;
      this.assumed.add(key);
      try {
        return this.compare(this.before.get(a), this.after.get(b), depth + 1);
      } finally {
        this.assumed.delete(key);
      }
    }
    if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') {
      if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
      return a === b;
    }
    if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
    if (a instanceof PdfString) return b instanceof PdfString && sameBytes(a.bytes, b.bytes);
    if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => this.compare(item, b[i]!, depth + 1));
    if (a instanceof PdfStream) {
      if (!(b instanceof PdfStream)) return false;
      if (sameBytes(a.raw, b.raw)) return this.dicts(a.dict, b.dict, depth, true);
      const [da, db] = [decodedOrUndefined(a), decodedOrUndefined(b)];
      return da !== undefined && db !== undefined && sameBytes(da, db) && this.dicts(a.dict, b.dict, depth, false);
    }
    if (a instanceof PdfDict) return b instanceof PdfDict && !(b instanceof PdfStream) && this.dicts(a, b, depth, true);
    return false;
  }

  /** Same keys with the same values; for streams whose data was compared decoded, the encoding keys do not count. */
  private dicts(a: PdfDict, b: PdfDict, depth: number, encodingMatters: boolean): boolean {
    const ignored = encodingMatters ? ['Length'] : ['Length', 'Filter', 'DecodeParms'];
    const keys = (d: PdfDict): string[] => d.keys().filter((k) => !ignored.includes(k));
    const [ka, kb] = [keys(a), keys(b)];
    if (ka.length !== kb.length) return false;
    return ka.every((key) => b.has(key) && this.compare(a.get(key)!, b.get(key)!, depth + 1));
  }

  /** Keys whose values differ between two dictionaries (added, removed or changed). */
  changedKeys(a: PdfDict, b: PdfDict): string[] {
    const keys = new Set([...a.keys(), ...b.keys()]);
    return [...keys].filter((key) => !(a.has(key) && b.has(key) && this.same(a.get(key), b.get(key))));
  }
}
