import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, listTokens } from '../../../src/core/token/index.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';
import { usePrivateTokens } from '../../kit/pki.js';

// The real renderer in Chromium, window.vanthu bound to the real token services on SoftHSM.
const pki = usePrivateTokens();
let harness: Harness;

beforeAll(async () => {
  buildRendererOnce();
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module] });
  // The app opens on the documents register; the tokens page is one step away in the side navigation.
  await harness.page.getByRole('navigation').getByRole('button', { name: 'USB token', exact: true }).click();
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await finalizeAllModules();
});

describe('tokens page', () => {
  it('shows each token with its certificates in Vietnamese', async () => {
    const { page } = harness;
    await page.getByRole('heading', { name: 'USB token và chứng thư số' }).waitFor();
    await page.getByText('Token “VANTHU LEADER”').waitFor();
    const leader = page.locator('section.token', { hasText: 'VANTHU LEADER' });
    await expect(leader.locator('.subject').allTextContents()).resolves.toEqual(['Nguyễn Thị Hồng Nhung', 'Nguyễn Thị Hồng Nhung']);
    await expect(leader.textContent()).resolves.toContain('Cấp bởi: Test CA Chuyên dùng Chính phủ');
    await expect(leader.textContent()).resolves.toContain('ECDSA prime256v1');
    const agency = page.locator('section.token', { hasText: 'VANTHU AGENCY' });
    await expect(agency.locator('.subject').textContent()).resolves.toBe('UBND tỉnh Cao Bằng');
    mkdirSync('.tmp/screenshots', { recursive: true });
    await page.screenshot({ path: '.tmp/screenshots/tokens-page.png', fullPage: true });
  });

  it('reports a wrong PIN in Vietnamese, then logs in with the right one', async () => {
    const { page } = harness;
    const spare = page.locator('section.token', { hasText: 'VANTHU SPARE' });
    const pin = spare.getByLabel('Mã PIN “VANTHU SPARE”');
    await pin.fill('000000');
    await spare.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(spare.getByRole('alert').textContent()).resolves.toContain('Mã PIN không đúng');
    await expect(pin.inputValue()).resolves.toBe('');
    await spare.getByText('Đã nhập sai PIN').waitFor();

    await pin.fill(pki.userPin);
    await spare.getByRole('button', { name: 'Đăng nhập' }).click();
    await spare.getByText('Đã đăng nhập').waitFor();
    await spare.getByText('Có khóa bí mật').first().waitFor();
  });

  it('tells the user when a token is plugged in, and refreshes', async () => {
    const { page, calls } = harness;
    const listed = () => calls.filter((c) => c === 'tokens.list').length;
    const before = listed();
    const [report] = await listTokens([pki.module]);
    const token = report!.tokens[0]!;
    await harness.emit('tokens.changed', { type: 'inserted', token });
    await page.getByRole('status').filter({ hasText: `Đã cắm USB token "${token.label}"` }).waitFor();
    await expect.poll(listed).toBeGreaterThan(before);
  });

  it('switches to English', async () => {
    const { page } = harness;
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'USB tokens and certificates' }).waitFor();
    await expect(page.locator('section.token', { hasText: 'VANTHU AGENCY' }).textContent()).resolves.toContain('Issued by: Test CA');
  });

  it('exposes only the contract and refuses anything else', async () => {
    const { page } = harness;
    await expect(page.evaluate(() => Object.keys(window.vanthu).sort())).resolves.toEqual(['invoke', 'on']);
    await expect(page.evaluate(() => window.vanthu.invoke('fs.read' as never, {} as never).then(() => 'ran', (e: Error) => e.message))).resolves.toContain('unknown channel');
    const refused = await page.evaluate(() => window.vanthu.invoke('tokens.login', { modulePath: '', serial: 'x', label: 'x', pin: '' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(refused)).not.toContain('pin":');
  });
});
