// The English-string walk in Chromium on a New York clock: every screen and state of the app, bound to agency B's real runtime, shows only Vietnamese from our tables, seeded data, and Vietnam time.
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagHeld, STATUS_JOB_KIND, statusLane, uuidV7 } from '../../../src/core/exchange/index.js';
import { enqueue } from '../../../src/core/outbox/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { vietnamDate, vietnamToday } from '../../../src/shared/vietnam-date.js';
import { JsonFileSettingsStore } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { KNOWN_MODULES } from '../../../src/core/token/module-registry.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { encodeGreyPng } from '../../kit/png.js';
import { logoutAll } from '../../kit/signing-key.js';
import { draftWithPdf } from '../../integration/core/outbox/kit.js';
import { CAO_BANG, NOI_VU, ORIGIN, VPCP, startTestServer, testKeys, type TestServer } from '../../integration/server/kit.js';
import { issuedDocument } from '../../integration/core/exchange/issued-document.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';
import { describeOffences, navScreen, vietnameseJudge, walkScreens, type Judge, type WalkScreen } from '../kit/vietnamese-walk.js';

const pki = usePrivateTokens();
const shots = '.tmp/screenshots';
const SUBJECTS = {
  received: 'Về việc tổ chức hội nghị chuyển đổi số',
  held: 'Về việc kiểm tra lại chữ ký',
  returned: 'Về việc gửi nhầm nơi nhận',
  draft: 'Tờ trình về kế hoạch ký số năm 2027',
  bulk: 'Tờ trình về ngân sách năm 2027',
  composed: 'Về việc triển khai ký số văn bản điện tử',
  broken: 'Tờ trình về tệp bị hỏng',
  wrong: 'Về việc báo cáo chuyển đổi số gửi nhầm nơi nhận',
};
/** A recipient the exchange server does not know: the send is refused and the document needs attention. */
const UNKNOWN = { organId: '000.00.77.H14', organName: 'Sở Khoa học tỉnh Bắc Kạn' };
/** The leader, the unit in charge and the opinion typed into the incoming processing forms. */
const PROCESSING = { leader: 'Giám đốc Trần Văn Bình', handler: 'Phòng Tổ chức cán bộ', opinion: 'Giao Phòng Tổ chức cán bộ chủ trì, báo cáo Giám đốc trước hạn.' };
/** A Vietnam calendar day `days` from today, as yyyy-MM-dd: the deadline chips are relative to today. */
const vietnamDayFromToday = (days: number): string => vietnamToday(new Date(Date.now() + days * 86_400_000));
/** A machine clock far from Vietnam: every time on screen must still be Vietnam time. */
const TIMEZONE = 'America/New_York';
/** The held document's next re-check, shown on its page: 01:05:40 UTC is 08:05:40 in Vietnam (20:05:40 the day before in New York). */
const NEXT_CHECK = Date.UTC(2030, 11, 7, 1, 5, 40);

let server: TestServer;
let trust: TrustStore;
let sender: { runtime: AppRuntime; dispatch: Dispatch };
let recipient: { runtime: AppRuntime; settings: JsonFileSettingsStore };
let harness: Harness;
let signedPdf: Uint8Array;
let tampered: Buffer;
let judge: Judge;
let serverDown = false;
const dirs: string[] = [];

/** A loopback port that was free a moment ago and has nobody listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

async function agencyRuntime(token: string, cert: string, url: string): Promise<{ runtime: AppRuntime; settings: JsonFileSettingsStore }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-walk-'));
  dirs.push(dataDir);
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ serverUrl: url, exchangeLogin: { module: pki.module, label: token, cert } });
  const runtime = await startRuntime({
    dataDir, modulePaths: [pki.module], trust, chain: [derOfPem(readFileSync(pki.subCaPem, 'utf8'))], tokenPollMs: 60_000, settings: settings.get(), exchange: { origin: ORIGIN, pollMs: 300 },
  });
  return { runtime, settings };
}

/** Everything the test put in the app or its PKI holds: what the screens may show besides our Vietnamese. */
function seededData(url: string): string[] {
  const certificates = pki.tokens.flatMap((t) => [t.label, t.serial, ...t.objects.flatMap((o) => [o.label, o.subjectCN, o.id, o.certSerial, o.curve ?? '', `${o.keyType.toUpperCase()} ${o.keyBits ?? ''}`.trim()])]);
  return [
    ...Object.values(SUBJECTS), ...certificates, url, pki.module, path.basename(pki.module),
    'UBND tỉnh Cao Bằng', 'Ủy ban nhân dân tỉnh Cao Bằng', 'Sở Nội vụ tỉnh Cao Bằng', 'Văn phòng Chính phủ', CAO_BANG, NOI_VU, VPCP, 'UBND-VP',
    'Test CA Chuyên dùng Chính phủ', 'Test Vietnam National Root CA', 'Test TSA Chuyên dùng Chính phủ', 'Test OCSP Responder Chuyên dùng Chính phủ',
    'Bộ Khoa học và Công nghệ (TEST)', 'Ban Cơ yếu Chính phủ (TEST)', 'Trung tâm Chứng thực điện tử quốc gia (TEST)', 'Cục Chứng thực số và Bảo mật thông tin (TEST)',
    'cong-van.pdf', 'da-sua.pdf', 'anh.png', 'chu-ky.png', 'root.pem', 'Phê duyệt', 'Văn bản không thuộc thẩm quyền của Sở', 'Công văn',
    UNKNOWN.organId, UNKNOWN.organName, ...Object.values(PROCESSING), 'Cao Bằng', 'Chủ tịch', 'Nguyễn Thị Hồng Nhung', '000.00.14.H14', 'Phát hành',
  ];
}

/** Every string the services hand the screens as data (root names and fingerprints, token makers and models), error texts left out. */
function dataOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(dataOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => (/^message(Vi|En)$|^error$/.test(key) ? [] : dataOf(inner)));
  return [];
}

/**
 * Strings the walk finds on screens other helpers own and fix on their branches; the lead deletes a line when its
 * fix is merged (a waiver that no longer matches anything fails the test, so none outlives its fix).
 */
const OWNED_ELSEWHERE: { screen: string; text: RegExp; owner: string }[] = [
];

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(shots, { recursive: true });
  const keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  signedPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  const others = [(await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes, (await signPdf(fixture('object-streams.pdf'), keys.agency, {})).bytes];
  const toUnknownPdf = (await signPdf(fixture('classic-xref.pdf'), keys.agency, { reason: 'Phát hành' })).bytes;
  tampered = Buffer.from(signedPdf);
  const at = tampered.indexOf('Tj', 0, 'latin1') - 3;
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  const a = await agencyRuntime('VANTHU AGENCY', 'agency-rsa', url);
  sender = { runtime: a.runtime, dispatch: createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime: a.runtime, settings: a.settings, trust })) };
  recipient = await agencyRuntime('VANTHU SPARE', 'spare-rsa', url);
  // B's own outgoing work: a draft signed by the leader (signatures panel), and one more for bulk signing.
  draftWithPdf(recipient.runtime.store, signedPdf, SUBJECTS.draft);
  draftWithPdf(recipient.runtime.store, fixture('classic-xref.pdf'), SUBJECTS.bulk);
  // A draft whose file is not a PDF any more: bulk signing fails on its row and says why.
  draftWithPdf(recipient.runtime.store, new TextEncoder().encode('%PDF-1.7 hỏng'), SUBJECTS.broken);
  writeFileSync(path.join(dirs[1]!, 'chu-ky.png'), discPng(80, [20, 40, 200]));
  // B's issued document addressed to an agency the server does not know: sending it needs attention.
  const wrong = issuedDocument(recipient.runtime.store, SUBJECTS.wrong, toUnknownPdf);
  recipient.runtime.store.db.prepare('UPDATE document_recipients SET organ_id = ?, organ_name = ? WHERE document_id = ?').run(UNKNOWN.organId, UNKNOWN.organName, wrong);
  // A sends three documents to B; they arrive once B logs in.
  const login = await sender.dispatch('sync.login', { pin: pki.userPin });
  expect(login).toMatchObject({ ok: true });
  for (const [subject, pdf] of [[SUBJECTS.received, signedPdf], [SUBJECTS.held, others[0]!], [SUBJECTS.returned, others[1]!]] as const) {
    sender.runtime.exchange.engine!.send(issuedDocument(sender.runtime.store, subject, pdf));
  }
  const recipientDispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime: recipient.runtime, settings: recipient.settings, trust }));
  const held = [await recipientDispatch('trust.list', {}), await recipientDispatch('tokens.list', {})];
  // The token makers the app knows by name (diagnostics lists them).
  judge = vietnameseJudge([...seededData(url), ...dataOf(held), ...dataOf(KNOWN_MODULES)]);
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime: recipient.runtime, settings: recipient.settings, trust }, undefined, {
    viewport: { width: 1366, height: 768 }, timezoneId: TIMEZONE, locale: 'en-US',
  });
}, 240_000);

afterAll(async () => {
  await harness?.close();
  await sender?.runtime.close();
  await recipient?.runtime.close();
  if (!serverDown) await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

/** Screens wider than the window (a sideways scroll bar at 1366 pixels), by name. */
const tooWide: string[] = [];
const shot = (page: Page) => async (screen: string) => {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  if (scrollWidth > innerWidth) tooWide.push(`${screen}: ${scrollWidth} > ${innerWidth}`);
  await page.screenshot({ path: `${shots}/walk-${screen}.png`, fullPage: true });
};
const open = (subject: string) => async (page: Page) => {
  await page.getByRole('navigation').getByRole('button', { name: 'Văn bản đến', exact: true }).click();
  // A filter chosen on an earlier screen may hide the row: show them all.
  const all = page.getByRole('group', { name: 'Lọc văn bản đến' }).getByRole('button', { name: 'Tất cả', exact: true });
  if (await all.count()) await all.click();
  const button = page.getByRole('button', { name: `Mở văn bản “${subject}”` });
  await button.waitFor({ timeout: 30_000 });
  await button.click();
  await page.getByRole('article', { name: subject }).getByRole('region', { name: 'Kiểm tra chữ ký số' }).waitFor({ timeout: 30_000 });
};
const dropPdf = async (page: Page, name: string, bytes: Uint8Array): Promise<void> => {
  const transfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'application/pdf' }));
      return data;
    },
    { b64: Buffer.from(bytes).toString('base64'), name },
  );
  await page.getByRole('region', { name: 'Vùng thả tệp PDF' }).dispatchEvent('drop', { dataTransfer: transfer });
};

/** An outgoing document's page, from the register's "Văn bản đi" tab. */
const openOutgoing = async (page: Page, subject: string): Promise<void> => {
  await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
  await page.getByRole('tab', { name: 'Văn bản đi' }).click();
  await page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(subject) }).click();
  await page.getByRole('heading', { name: subject }).waitFor();
};
const processing = (page: Page) => page.getByRole('article', { name: SUBJECTS.received }).getByRole('region', { name: 'Xử lý văn bản' });
const incomingId = (subject: string): number =>
  recipient.runtime.store.db.prepare<[string], number>("SELECT id FROM documents WHERE direction = 'incoming' AND subject = ?").pluck().get(subject)!;

/** Every screen and state the app reaches today, in an order that reaches each; add a screen with one line. */
const screens = (): WalkScreen[] => [
  navScreen('documents', 'Văn bản', 'Sổ văn bản', (page) => page.getByText(SUBJECTS.draft).first().waitFor()),
  {
    name: 'document-page',
    reach: async (page) => {
      await page.getByRole('button', { name: new RegExp(SUBJECTS.draft) }).first().click();
      await page.getByRole('heading', { name: SUBJECTS.draft }).waitFor();
      await page.locator('.signatures-panel .signature-item').first().waitFor({ timeout: 30_000 });
      await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    },
  },
  {
    // Each certificate with its holder, CA, validity and serial's tail; the revoked one marked; no image for this one yet (before the PIN).
    name: 'sign-dialog-certificates',
    reach: async (page) => {
      await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
      await dialog.getByRole('listitem').filter({ hasText: 'Lê Thị Thu Hà' }).getByText('Đã bị thu hồi').waitFor({ timeout: 30_000 });
      const rsa = dialog.getByRole('listitem').filter({ hasText: 'RSA 2048' }).filter({ hasText: 'Nguyễn Thị Hồng Nhung' });
      await rsa.getByText('Còn hiệu lực').waitFor({ timeout: 30_000 });
      await rsa.getByRole('radio').check();
      await dialog.getByText('Chứng thư số này chưa có ảnh chữ ký.').waitFor();
    },
  },
  {
    name: 'sign-dialog-text-only',
    reach: async (page) => {
      const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
      await dialog.getByLabel('Ký không có ảnh: dấu chỉ có chữ (người ký và thời gian ký)').check();
      await dialog.getByText('Dấu sẽ ghi: “Ký bởi: Nguyễn Thị Hồng Nhung” và thời gian ký.').waitFor();
    },
  },
  {
    name: 'sign-dialog-wrong-pin',
    reach: async (page) => {
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Mã PIN của USB token').fill('000000');
      await dialog.getByRole('button', { name: 'Ký số' }).click();
      await dialog.getByRole('alert').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'compose',
    reach: async (page) => {
      await page.getByRole('dialog').getByRole('button', { name: 'Hủy', exact: true }).click();
      await page.getByRole('navigation').getByRole('button', { name: 'Soạn văn bản', exact: true }).click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
    },
  },
  {
    name: 'compose-errors',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Trình ký' }).click();
      await page.getByText('Chưa lưu: hãy sửa các mục được đánh dấu.').waitFor();
    },
  },
  {
    name: 'compose-filled',
    reach: async (page) => {
      await page.getByLabel('Cơ quan ban hành', { exact: true }).fill('Ủy ban nhân dân tỉnh Cao Bằng');
      await page.getByLabel('Mã định danh cơ quan ban hành').fill('000.00.14.H14');
      await page.getByLabel('Ký hiệu (ví dụ UBND-VP)').fill('UBND-VP');
      await page.getByLabel('Địa danh').fill('Cao Bằng');
      await page.getByLabel('Ngày ban hành').fill(vietnamDate(vietnamToday()));
      await page.getByLabel('Trích yếu').fill(SUBJECTS.composed);
      await page.getByLabel('Nội dung văn bản').fill('Đề nghị các cơ quan, đơn vị **nghiêm túc** thực hiện./.');
      await page.getByLabel('Chức vụ người ký').fill('Chủ tịch');
      await page.getByLabel('Họ và tên người ký').fill('Nguyễn Thị Hồng Nhung');
      await page.getByLabel('Nơi nhận in trên văn bản (mỗi dòng một nơi)').fill('Như trên;\nLưu: VT, VP.');
      await page.locator('.draft-preview canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'compose-reopened',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã lưu dự thảo (phiên bản 1).' }).waitFor({ timeout: 30_000 });
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
      await page.getByRole('tab', { name: 'Dự thảo' }).click();
      await page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(SUBJECTS.composed) }).click();
      await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Sửa dự thảo' }).click();
      await page.getByRole('heading', { name: 'Sửa dự thảo' }).waitFor();
      await page.locator('.draft-preview canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'compose-upload',
    reach: async (page) => {
      await page.getByRole('navigation').getByRole('button', { name: 'Soạn văn bản', exact: true }).click();
      await page.getByRole('tab', { name: 'Tải tệp lên' }).click();
      await page.getByRole('group', { name: 'Tệp chính (PDF)', exact: true }).waitFor();
    },
  },
  {
    name: 'register-outgoing-printed',
    reach: async (page) => {
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
      const bar = page.getByRole('region', { name: 'In và xuất sổ' });
      await bar.getByRole('button', { name: 'In sổ' }).click();
      await page.getByRole('status').filter({ hasText: /^Đã lưu .*\.pdf/ }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'register-outgoing-exported',
    reach: async (page) => {
      await page.getByRole('region', { name: 'In và xuất sổ' }).getByRole('button', { name: 'Xuất Excel' }).click();
      await page.getByRole('status').filter({ hasText: /^Đã lưu .*\.xlsx/ }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'register-incoming-period-error',
    reach: async (page) => {
      await page.getByRole('tab', { name: 'Văn bản đến' }).click();
      const bar = page.getByRole('region', { name: 'In và xuất sổ' });
      await bar.getByLabel('Thời gian').selectOption({ label: 'Theo khoảng thời gian' });
      await bar.getByLabel('Từ ngày').fill('01/04/2026');
      await bar.getByLabel('Đến ngày').fill('01/01/2026');
      await bar.getByRole('button', { name: 'In sổ' }).click();
      await bar.getByRole('alert').filter({ hasText: 'Từ ngày phải trước hoặc trùng đến ngày.' }).waitFor();
    },
  },
  navScreen('inbox-login', 'Văn bản đến', 'Văn bản đến', (page) => page.getByLabel('Mã PIN token đơn vị').waitFor()),
  {
    name: 'inbox',
    reach: async (page) => {
      await page.getByLabel('Mã PIN token đơn vị').fill(pki.userPin);
      await page.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
      await page.getByRole('button', { name: `Mở văn bản “${SUBJECTS.returned}”` }).waitFor({ timeout: 60_000 });
      // Held as a pull holds a document whose responder was silent: the reason is a core detail, in English.
      const held = recipient.runtime.store.db.prepare<[string], number>("SELECT id FROM documents WHERE direction = 'incoming' AND subject = ?").pluck().get(SUBJECTS.held)!;
      flagHeld(recipient.runtime.store.db, { documentId: held, messageId: 'held-walk', reason: 'cong-van.pdf: indeterminate (REVOCATION_UNKNOWN) — revocation unknown' });
      recipient.runtime.store.db.prepare('UPDATE incoming_checks SET next_check_at = ? WHERE document_id = ?').run(NEXT_CHECK, held);
      await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
      await page.getByRole('row', { name: new RegExp(SUBJECTS.held) }).getByText('Cần kiểm tra lại').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'send-confirm',
    reach: async (page) => {
      await openOutgoing(page, SUBJECTS.wrong);
      await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
      await page.getByRole('dialog', { name: 'Gửi văn bản?' }).getByRole('listitem').filter({ hasText: UNKNOWN.organName }).waitFor();
    },
  },
  {
    name: 'attention-document',
    reach: async (page) => {
      await page.getByRole('dialog', { name: 'Gửi văn bản?' }).getByRole('button', { name: 'Gửi', exact: true }).click();
      await page.getByRole('region', { name: 'Cần xử lý', exact: true }).getByText(new RegExp(`không biết cơ quan nhận \\(mã định danh ${UNKNOWN.organId}`)).waitFor({ timeout: 60_000 });
      await page.getByRole('region', { name: 'Tình trạng từng nơi nhận' }).getByText('Chưa gửi được').waitFor();
    },
  },
  {
    name: 'attention-contact',
    reach: async (page) => {
      const panel = page.getByRole('region', { name: 'Cần xử lý', exact: true });
      await panel.getByRole('button', { name: 'Liên hệ cơ quan nhận' }).click();
      await panel.getByText('Không có trong danh bạ của máy chủ trao đổi').waitFor();
    },
  },
  {
    name: 'attention-notifications',
    reach: async (page) => {
      await page.getByRole('button', { name: /^Thông báo: \d+ văn bản cần xử lý$/ }).click();
      await page.getByRole('region', { name: 'Văn bản cần xử lý' }).getByRole('button', { name: new RegExp(SUBJECTS.wrong) }).waitFor();
    },
  },
  {
    name: 'attention-register-row',
    reach: async (page) => {
      // The notifications list closes as it opened, from the header.
      await page.getByRole('button', { name: /^Thông báo: \d+ văn bản cần xử lý$/ }).click();
      await page.getByRole('region', { name: 'Văn bản cần xử lý' }).waitFor({ state: 'hidden' });
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
      await page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(SUBJECTS.wrong) }).getByText(/không biết cơ quan nhận/).waitFor();
    },
  },
  { name: 'inbox-document', reach: open(SUBJECTS.received) },
  {
    name: 'inbox-processing',
    reach: async (page) => {
      const detail = page.getByRole('article', { name: SUBJECTS.received });
      await detail.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
      await detail.getByRole('status').filter({ hasText: 'Đã tiếp nhận và báo cho cơ quan gửi.' }).waitFor({ timeout: 30_000 });
      await processing(page).getByText('Chưa trình lãnh đạo.').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'inbox-submit-form',
    reach: async (page) => {
      const panel = processing(page);
      await panel.getByRole('button', { name: 'Trình lãnh đạo', exact: true }).click();
      await panel.getByLabel('Lãnh đạo nhận văn bản').waitFor();
    },
  },
  {
    name: 'inbox-assignment-past-deadline',
    reach: async (page) => {
      const panel = processing(page);
      await panel.getByLabel('Lãnh đạo nhận văn bản').fill(PROCESSING.leader);
      await panel.getByRole('button', { name: 'Trình', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Đã trình lãnh đạo.' }).waitFor();
      await panel.getByRole('button', { name: 'Ghi ý kiến phân công', exact: true }).click();
      const form = panel.getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
      await form.getByLabel('Đơn vị hoặc người chủ trì xử lý').fill(PROCESSING.handler);
      await form.getByLabel('Hạn xử lý').fill('01/01/2020');
      await form.getByRole('button', { name: 'Lưu phân công' }).click();
      await form.getByText('Hạn xử lý đã qua. Hãy chọn hôm nay hoặc một ngày sau.').waitFor();
    },
  },
  {
    name: 'inbox-due-soon',
    reach: async (page) => {
      const form = processing(page).getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
      await form.getByLabel('Hạn xử lý').fill(vietnamDate(vietnamDayFromToday(1)));
      await form.getByLabel('Ý kiến chỉ đạo').fill(PROCESSING.opinion);
      await form.getByRole('button', { name: 'Lưu phân công' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã ghi phân công.' }).waitFor();
      await page.getByRole('row', { name: new RegExp(SUBJECTS.received) }).getByText('Sắp đến hạn').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'inbox-tracking-filter',
    reach: async (page) => {
      await page.getByRole('button', { name: /^Đang theo dõi \(\d+\)$/ }).click();
      await page.getByRole('row', { name: new RegExp(SUBJECTS.received) }).waitFor();
    },
  },
  {
    // A day later than the deadline: the same assignment, its deadline yesterday, stands out as overdue.
    name: 'inbox-overdue',
    reach: async (page) => {
      const received = incomingId(SUBJECTS.received);
      recipient.runtime.store.db.prepare("UPDATE incoming_steps SET deadline = ? WHERE document_id = ? AND step = 'assigned'").run(vietnamDayFromToday(-1), received);
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản đến', exact: true }).click();
      await page.getByRole('row', { name: new RegExp(SUBJECTS.received) }).getByText('Quá hạn').waitFor({ timeout: 30_000 });
    },
  },
  {
    // A status the server refuses for good (about a message it never had): the document says which and why, with a retry.
    name: 'inbox-status-refused',
    reach: async (page) => {
      const received = incomingId(SUBJECTS.received);
      enqueue(recipient.runtime.store.db, { kind: STATUS_JOB_KIND, documentId: received, lane: statusLane(received), payload: { documentId: received, messageId: uuidV7(), code: '06', reason: null }, maxAttempts: 3 });
      recipient.runtime.worker.poke();
      await open(SUBJECTS.received)(page);
      await expect.poll(async () => {
        await open(SUBJECTS.received)(page);
        return processing(page).getByRole('button', { name: 'Gửi lại trạng thái' }).count();
      }, { timeout: 30_000, interval: 1000 }).toBe(1);
    },
  },
  {
    name: 'inbox-status-retried',
    reach: async (page) => {
      await processing(page).getByRole('button', { name: 'Gửi lại trạng thái' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã đưa trạng thái vào hàng đợi gửi lại.' }).waitFor();
    },
  },
  {
    name: 'inbox-held-filter',
    reach: async (page) => {
      await page.getByRole('button', { name: /^Cần kiểm tra lại \(\d+\)$/ }).click();
      await page.getByRole('row', { name: new RegExp(SUBJECTS.held) }).waitFor();
    },
  },
  { name: 'inbox-held', reach: open(SUBJECTS.held) },
  {
    name: 'inbox-return-form',
    reach: async (page) => {
      await open(SUBJECTS.returned)(page);
      const detail = page.getByRole('article', { name: SUBJECTS.returned });
      await detail.getByRole('button', { name: 'Từ chối' }).click();
      await detail.getByRole('button', { name: 'Gửi từ chối' }).click();
      await detail.getByText('Hãy nhập lý do (ít nhất 3 ký tự).').waitFor();
    },
  },
  {
    name: 'inbox-returned',
    reach: async (page) => {
      const detail = page.getByRole('article', { name: SUBJECTS.returned });
      await detail.getByLabel('Lý do từ chối').fill('Văn bản không thuộc thẩm quyền của Sở');
      await detail.getByRole('button', { name: 'Gửi từ chối' }).click();
      await detail.getByRole('status').filter({ hasText: 'Đã từ chối' }).waitFor({ timeout: 30_000 });
    },
  },
  navScreen('verify', 'Kiểm tra chữ ký', 'Kiểm tra chữ ký văn bản'),
  {
    name: 'verify-valid',
    reach: async (page) => {
      await dropPdf(page, 'cong-van.pdf', signedPdf);
      await page.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'verify-report-saved',
    reach: async (page) => {
      await page.getByRole('button', { name: 'In báo cáo kiểm tra' }).first().click();
      await page.getByRole('status').filter({ hasText: /^Đã lưu .*\.pdf/ }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'verify-tampered',
    reach: async (page) => {
      await dropPdf(page, 'da-sua.pdf', tampered);
      await page.getByRole('heading', { name: 'Kiểm tra chữ ký số: Không hợp lệ' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'verify-not-pdf',
    reach: async (page) => {
      await dropPdf(page, 'anh.png', discPng(20, [0, 0, 0]));
      await page.getByRole('alert').first().waitFor();
    },
  },
  navScreen('bulk', 'Ký hàng loạt', 'Ký hàng loạt', (page) => page.getByText(SUBJECTS.bulk).first().waitFor()),
  {
    name: 'bulk-failed-row',
    reach: async (page) => {
      await page.getByLabel(`Chọn “${SUBJECTS.broken}”`).check();
      const certificate = page.getByLabel('Chứng thư số', { exact: true });
      const leader = await certificate.locator('option').evaluateAll((options) => options.find((o) => /Nguyễn Thị Hồng Nhung/.test(o.textContent ?? '') && !/thu hồi/.test(o.textContent ?? ''))?.getAttribute('value'));
      await certificate.selectOption(leader!);
      await page.getByLabel('Kiểu chữ ký').selectOption('attachment');
      await page.getByLabel('Mức chữ ký').selectOption('B-B');
      await page.getByLabel('Mã PIN (một lần cho cả lượt)').fill(pki.userPin);
      await page.getByRole('button', { name: 'Ký 1 văn bản' }).click();
      await page.getByRole('region', { name: 'Tiến độ ký' }).getByText(/Đã xong lượt ký: 0 đã ký, 1 lỗi/).waitFor({ timeout: 60_000 });
    },
  },
  navScreen('tokens', 'USB token', 'USB token và chứng thư số', (page) => page.getByText('VANTHU LEADER').first().waitFor({ timeout: 30_000 })),
  navScreen('settings', 'Cài đặt', 'Cài đặt', (page) => page.getByLabel('Địa chỉ máy chủ trao đổi').waitFor()),
  {
    name: 'settings-certificate-images',
    reach: async (page) => {
      const images = page.locator('section.certificate-images');
      await images.getByText('Chứng thư số này chưa có ảnh chữ ký.').first().waitFor({ timeout: 30_000 });
      await images.scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'settings-image-refused',
    reach: async (page) => {
      const signature = page.getByRole('group', { name: 'Ảnh chữ ký tay' });
      await signature.locator('input[type="file"]').setInputFiles({ name: 'chu-ky.png', mimeType: 'image/png', buffer: encodeGreyPng({ width: 40, height: 20, pixels: new Uint8Array(800).fill(220) }) });
      await signature.getByRole('alert').waitFor();
    },
  },
  {
    name: 'settings-diagnostics',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Chạy chẩn đoán' }).click();
      await page.getByRole('region', { name: 'Chẩn đoán' }).getByText(/Nạp được, \d+ token/).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'settings-bad-address',
    reach: async (page) => {
      await page.getByLabel('Địa chỉ máy chủ dấu thời gian (TSA)').fill('không phải địa chỉ');
      await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
      await page.getByText('Địa chỉ không hợp lệ (phải bắt đầu bằng http:// hoặc https://).').waitFor();
      await page.getByLabel('Địa chỉ máy chủ dấu thời gian (TSA)').fill('');
    },
  },
  {
    name: 'settings-tsa-unreachable',
    reach: async (page) => {
      // Nothing listens there any more: the network's English ("connect ECONNREFUSED") must not reach the screen.
      await page.getByLabel('Địa chỉ máy chủ dấu thời gian (TSA)').fill(`http://127.0.0.1:${await closedPort()}/`);
      await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã lưu cài đặt.' }).waitFor();
      await page.getByRole('button', { name: 'Chạy chẩn đoán' }).click();
      await page.getByRole('region', { name: 'Chẩn đoán' }).getByText('Không truy cập được: máy chủ từ chối kết nối').waitFor({ timeout: 30_000 });
    },
  },
  {
    // Last: the exchange server goes away, and the inbox says so in Vietnamese (the network's English stays in the log).
    name: 'inbox-server-down',
    reach: async (page) => {
      serverDown = true;
      await server.close();
      await page.getByRole('navigation').getByRole('button', { name: 'Văn bản đến', exact: true }).click();
      await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
      await page.locator('.sync-bar').getByText(/Mất kết nối/).waitFor({ timeout: 30_000 });
    },
  },
];

describe('the English-string walk', () => {
  it('finds no string outside the Vietnamese tables and the seeded data on any screen, on a New York clock', async () => {
    const found = await walkScreens(harness.page, screens(), judge, shot(harness.page));
    const waived = (screen: string, text: string) => OWNED_ELSEWHERE.find((w) => w.screen === screen && w.text.test(text));
    const offences = found.map((o) => ({ ...o, strings: o.strings.filter((s) => !waived(o.screen, s)) })).filter((o) => o.strings.length > 0);
    expect(offences, `Strings that are not Vietnamese from our tables:\n${describeOffences(offences)}`).toEqual([]);
    const stale = OWNED_ELSEWHERE.filter((w) => !found.some((o) => o.screen === w.screen && o.strings.some((s) => w.text.test(s))));
    expect(stale, 'waivers whose fix has landed: delete them').toEqual([]);
    expect(tooWide, 'screens wider than the window').toEqual([]);
  }, 600_000);

  it('shows a known instant in Vietnam time, dd/MM/yyyy, whatever the machine clock says', async () => {
    const { page } = harness;
    await open(SUBJECTS.held)(page);
    await expect(page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).resolves.toBe(TIMEZONE);
    // 01:05:40 UTC is 08:05:40 on 07/12 in Vietnam, 20:05:40 on 06/12 in New York.
    await page.getByText(/07\/12\/2030 08:05:40/).first().waitFor();
    await expect(page.getByText(/06\/12\/2030|12\/6\/2030/).count()).resolves.toBe(0);
  }, 60_000);

  it('at 1920×1080 the navigation screens, the upload tab, the print bar and the per-certificate images say nothing else', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1920, height: 1080 });
    const again = ['documents', 'compose-upload', 'register-outgoing-printed', 'register-outgoing-exported', 'verify', 'bulk', 'tokens', 'settings', 'settings-certificate-images'];
    const wide = screens().filter((s) => s.name.startsWith('nav:') || again.includes(s.name));
    const found = await walkScreens(page, wide.map((s) => ({ ...s, name: `${s.name}-1920` })), judge, shot(page));
    const offences = found.map((o) => ({ ...o, strings: o.strings.filter((s) => !OWNED_ELSEWHERE.some((w) => `${w.screen}-1920` === o.screen && w.text.test(s))) })).filter((o) => o.strings.length > 0);
    expect(offences, describeOffences(offences)).toEqual([]);
    expect(tooWide, 'screens wider than the window').toEqual([]);
    await page.setViewportSize({ width: 1366, height: 768 });
  }, 180_000);
});

describe('the language choice', () => {
  it('is kept: English chosen in the header stays English after a reload, before the first paint, and <html lang> follows', async () => {
    const { page } = harness;
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('vi');
    await page.locator('header').getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('navigation').getByRole('button', { name: 'Documents', exact: true }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect.poll(() => recipient.settings.get().language).toBe('en');
    // Every text painted after the reload, from the very first: no Vietnamese frame flashes before English.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __painted: string[] }).__painted = seen;
      new MutationObserver(() => {
        const nav = document.querySelector('nav');
        if (nav?.textContent) seen.push(nav.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Documents', exact: true }).waitFor();
    await expect(page.locator('header').getByLabel('Language').inputValue()).resolves.toBe('en');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    const painted = await page.evaluate(() => (window as unknown as { __painted: string[] }).__painted);
    expect(painted.length).toBeGreaterThan(0);
    expect(painted.filter((text) => text.includes('Văn bản'))).toEqual([]);
    await page.screenshot({ path: `${shots}/walk-language-kept-en.png`, fullPage: true });

    await page.locator('header').getByLabel('Language').selectOption('vi');
    await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).waitFor();
    await expect.poll(() => recipient.settings.get().language).toBe('vi');
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('vi');
  }, 60_000);
});
