// `vanthu draft render`: writes the same PDF as the core, exit 0; bad usage, unreadable or invalid drafts and missing glyphs exit 2 with bilingual messages.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDraft } from '../../../../src/core/drafting/index.js';
import { runVanthu } from '../../../kit/cli.js';
import { samples } from '../../../fixtures/drafting/samples.js';

const dir = (): string => mkdtempSync(path.join(tmpdir(), 'vanthu-draft-cli-'));

describe('vanthu draft render', () => {
  it('renders the committed sample draft JSON to the same bytes as the core does', async () => {
    const out = path.join(dir(), 'cong van.pdf');
    const result = await runVanthu(['draft', 'render', 'tests/fixtures/drafting/cong-van.json', '-o', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, out, pages: 1 });
    const expected = await renderDraft(JSON.parse(readFileSync('tests/fixtures/drafting/cong-van.json', 'utf8')));
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(expected))).toBe(true);
  });

  it('exits 2 on bad usage, a missing file, broken JSON and an invalid draft, writing nothing', { timeout: 90_000 }, async () => {
    const d = dir();
    const out = path.join(d, 'out.pdf');
    const usage = await runVanthu(['draft', 'render', 'tests/fixtures/drafting/cong-van.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Cách dùng không đúng[\s\S]*Bad usage[\s\S]*-o OUT\.pdf/);

    const missing = await runVanthu(['draft', 'render', path.join(d, 'none.json'), '-o', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/không đọc được tệp/);

    writeFileSync(path.join(d, 'broken.json'), '{"type": "cong-van",');
    const broken = await runVanthu(['draft', 'render', path.join(d, 'broken.json'), '-o', out, '--json']);
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stdout).error).toMatchObject({ code: 'BAD_INPUT' });

    writeFileSync(path.join(d, 'invalid.json'), JSON.stringify({ ...samples['cong-van'], type: 'chi-thi', body: [] }));
    const invalid = await runVanthu(['draft', 'render', path.join(d, 'invalid.json'), '-o', out]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/Dữ liệu đầu vào không hợp lệ/);
    expect(invalid.stderr).toMatch(/type/); // the fields are named in the English line (the log's); the Vietnamese one has no English in it
    expect(invalid.stderr).toMatch(/body/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 and names the characters the font lacks', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'glyph.json'), JSON.stringify({ ...samples['giay-moi'], body: [{ kind: 'paragraph', text: 'Kính mời ☃ tham dự.' }] }));
    const result = await runVanthu(['draft', 'render', path.join(d, 'glyph.json'), '-o', path.join(d, 'out.pdf')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/không có các ký tự: ☃/);
    expect(result.stderr).toMatch(/has no glyph for: ☃/);
  });
});
