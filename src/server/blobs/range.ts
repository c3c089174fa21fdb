// Parses a single-range "Range: bytes=…" header against a size (several ranges are answered with the whole file).
import { VanthuError } from '../../shared/errors.js';

export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number };

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // RFC 9110: a Range we do not understand (or several ranges) may be ignored.
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new VanthuError('SERVER_RANGE_NOT_SATISFIABLE', { range: header, size });
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start) throw new VanthuError('SERVER_RANGE_NOT_SATISFIABLE', { range: header, size });
  }
  if (start >= size) throw new VanthuError('SERVER_RANGE_NOT_SATISFIABLE', { range: header, size });
  return { kind: 'part', start, end };
}
