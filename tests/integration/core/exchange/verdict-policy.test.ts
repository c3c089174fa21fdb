// The recipient's decision on real files: accept valid, hold indeterminate (root lacking), return invalid (tampered, appended, unsigned, not a PDF).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeFile, judgeFiles } from '../../../../src/core/exchange/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { testKeys } from '../../server/kit.js';

const pki = usePki();
let sealed: Uint8Array;
let trust: TrustStore;
let nobody: TrustStore;

beforeAll(async () => {
  const keys = await testKeys(pki);
  sealed = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  nobody = await trustStoreFrom({ pemOrDerFiles: [] });
});

afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

/** The signed bytes with one byte of the first signed range changed (a digit of the page content, not the structure). */
function tampered(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const text = Buffer.from(copy).toString('latin1');
  const at = text.indexOf('stream\n') + 'stream\n'.length + 2;
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

describe('incoming verdict policy', () => {
  it('accepts a valid sealed file', async () => {
    expect(await judgeFile(sealed, 'cong-van.pdf', { trust, online: true })).toEqual({ action: 'accept' });
    // Offline with no revocation data in the file: could not check yet, so held, not returned.
    expect(await judgeFile(sealed, 'cong-van.pdf', { trust, online: false })).toMatchObject({ action: 'hold', reason: expect.stringMatching(/REVOCATION_UNKNOWN/) as unknown });
  });

  it('holds a file whose root the recipient lacks, with the finding code as the reason', async () => {
    const decision = await judgeFile(sealed, 'cong-van.pdf', { trust: nobody });
    expect(decision.action).toBe('hold');
    expect(decision.action === 'hold' && decision.reason).toMatch(/^cong-van\.pdf: indeterminate \(.*CHAIN_UNTRUSTED/);
  });

  it('returns a tampered file even when its root is lacking (invalid wins over indeterminate)', async () => {
    for (const roots of [trust, nobody]) {
      const decision = await judgeFile(tampered(sealed), 'cong-van.pdf', { trust: roots });
      expect(decision).toMatchObject({ action: 'return', reason: expect.stringMatching(/^cong-van\.pdf: invalid/) as unknown });
    }
  });

  it('returns a file changed after its last signature, an unsigned PDF, and a .pdf that is not one; passes a non-PDF attachment', async () => {
    const appended = Buffer.concat([sealed, Buffer.from('\n% added later\n')]);
    expect(await judgeFile(appended, 'a.pdf', { trust })).toMatchObject({ action: 'return' });
    expect(await judgeFile(fixture('classic-xref.pdf'), 'b.pdf', { trust })).toEqual({ action: 'return', reason: 'b.pdf: not signed' });
    expect(await judgeFile(Buffer.from('hello'), 'c.pdf', { trust })).toEqual({ action: 'return', reason: 'c.pdf: not a PDF' });
    expect(await judgeFile(Buffer.from('hello'), 'ghi-chu.txt', { trust })).toEqual({ action: 'accept' });
  });

  it('judges a document by its worst file: return over hold over accept', async () => {
    const held = await judgeFiles([{ bytes: sealed, name: 'a.pdf' }, { bytes: sealed, name: 'b.pdf' }], { trust: nobody });
    expect(held.action === 'hold' && held.reason.split('; ').map((r) => r.split(':')[0])).toEqual(['a.pdf', 'b.pdf']);
    const returned = await judgeFiles([{ bytes: sealed, name: 'a.pdf' }, { bytes: Buffer.from('x'), name: 'b.pdf' }], { trust: nobody });
    expect(returned).toEqual({ action: 'return', reason: 'b.pdf: not a PDF' });
  });
});
