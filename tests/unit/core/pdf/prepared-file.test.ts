import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPreparedFile } from '../../../../src/core/pdf/index.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'vanthu-prepared-file-'));

describe('openPreparedFile', () => {
  it('writes the parts one after the other, patches in place, and renames over the output on commit', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'out.pdf');
    writeFileSync(output, 'old');
    const file = await openPreparedFile(output);
    expect(path.dirname(file.tempPath)).toBe(dir);
    await file.write([bytes('%PDF original|'), bytes('update <0000>')]);
    // Until the commit the output is the old file.
    expect(readFileSync(output, 'utf8')).toBe('old');
    await file.patch({ offset: 22, bytes: bytes('AB') });
    await file.commit();
    expect(readFileSync(output, 'utf8')).toBe('%PDF original|update <AB00>');
    expect(readdirSync(dir)).toEqual(['out.pdf']);
  });

  it('appends after what was written without writing it again (the updates of B-LT and B-LTA)', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'out.pdf');
    const file = await openPreparedFile(output);
    await file.write([bytes('%PDF original|'), bytes('update <0000>')]);
    await file.patch({ offset: 22, bytes: bytes('CD') });
    await file.append([bytes('|dss'), bytes('|archive')]);
    await file.commit();
    expect(readFileSync(output, 'utf8')).toBe('%PDF original|update <CD00>|dss|archive');
  });

  it('starts over on a second write (a retry with a larger placeholder), so nothing of the first stays', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'out.pdf');
    const file = await openPreparedFile(output);
    await file.write([bytes('a longer first attempt')]);
    await file.write([bytes('short')]);
    await file.commit();
    expect(readFileSync(output, 'utf8')).toBe('short');
  });

  it('refuses a patch outside what was written, and discard leaves the output untouched', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'out.pdf');
    writeFileSync(output, 'kept');
    const file = await openPreparedFile(output);
    await file.write([bytes('12345')]);
    await expect(file.patch({ offset: 4, bytes: bytes('XY') })).rejects.toThrow(RangeError);
    await file.discard();
    expect(readdirSync(dir)).toEqual(['out.pdf']);
    expect(readFileSync(output, 'utf8')).toBe('kept');
  });

  it('says which file cannot be written, in both languages, when the folder does not exist', async () => {
    const output = path.join(freshDir(), 'no-such-folder', 'out.pdf');
    await expect(openPreparedFile(output)).rejects.toMatchObject({
      code: 'PDF_OUTPUT_NOT_WRITABLE',
      params: { file: output, reason: 'ENOENT' },
      messageVi: expect.stringContaining(`Không ghi được tệp đã ký vào ${output}`),
      messageEn: expect.stringContaining(`could not be written to ${output}`),
    });
  });
});
