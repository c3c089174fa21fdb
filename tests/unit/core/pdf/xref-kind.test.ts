import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lastXref } from '../../../../src/core/pdf/xref-kind.js';

const fixture = (name: string): Uint8Array => readFileSync(`tests/fixtures/pdf/${name}`);

describe('lastXref', () => {
  it.each([
    ['classic-xref.pdf', 'table'],
    ['with-form.pdf', 'table'],
    ['incrementally-updated.pdf', 'table'],
    ['linearized.pdf', 'table'],
    ['xref-stream.pdf', 'stream'],
    ['object-streams.pdf', 'stream'],
    ['linearized-object-streams.pdf', 'stream'],
  ])('%s ends with an xref %s', (name, kind) => {
    const pdf = fixture(name);
    const xref = lastXref(pdf);
    expect(xref?.kind).toBe(kind);
    // The offset is the one after the file's last "startxref".
    const tail = Buffer.from(pdf).toString('latin1');
    expect(xref?.offset).toBe(Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1]));
  });

  it('takes the newest section of an incrementally updated file', () => {
    const pdf = fixture('incrementally-updated.pdf');
    const text = Buffer.from(pdf).toString('latin1');
    expect(lastXref(pdf)?.offset).toBe(text.lastIndexOf('xref\n0 1'));
  });

  it('gives undefined without a usable startxref', () => {
    expect(lastXref(new TextEncoder().encode('%PDF-1.7\nnothing here\n%%EOF\n'))).toBeUndefined();
    expect(lastXref(new TextEncoder().encode('%PDF-1.7\nstartxref\n999999\n%%EOF\n'))).toBeUndefined();
    expect(lastXref(new TextEncoder().encode('%PDF-1.7\nabc\nstartxref\n9\n%%EOF\n'))).toBeUndefined();
  });
});
