import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial, OriginPolicy, startLocalService, type LocalService, type OriginDecision, type ServiceAnswer, type ServiceLogEntry, type SigningIdentity, type SigningPreview } from '../../../src/core/local-service/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../kit/fake-tsa.js';
import { discPng, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import { SESSION_ID, startEOfficeSite, type EOfficeSite } from '../../kit/e-office-site.js';

// An e-office page (ours, from DOMAIN.md) in Chromium signs through the local service on SoftHSM, end to end.
const pki = usePrivateTokens();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-local-service-'));
const keptDir = path.join(dir, 'kept');
const JWT = 'jwt-bi-mat-cua-trang';
// Not about TLS: the certificate is the local CA's, trusted by a flag here (trusted-tls.test.ts proves the NSS path).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--ignore-certificate-errors'];

let site: EOfficeSite;
let otherSite: EOfficeSite;
let service: LocalService;
let browser: Browser;
let page: Page;
let tsa: FakeTsa;
let trust: TrustStore;
let leader: SigningIdentity;
let agency: SigningIdentity;
let identity: SigningIdentity;
const previews: SigningPreview[] = [];
const log: ServiceLogEntry[] = [];
const asked: string[] = [];
const decisions: OriginDecision[] = [];
let confirmDelayMs = 0;
let confirming = 0;
let mostConfirmingAtOnce = 0;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const fixture = (name: string): Uint8Array => readFileSync(path.resolve('tests/fixtures/pdf', name));

async function call(on: Page, operation: string, request: unknown): Promise<ServiceAnswer> {
  return on.evaluate(([op, body]) => (window as unknown as { callSigningService: (o: string, r: unknown) => Promise<ServiceAnswer> }).callSigningService(op as string, body), [operation, request] as const);
}

async function openPage(at: EOfficeSite): Promise<Page> {
  const opened = await browser.newPage();
  await opened.goto(`${at.origin}/qlvb?service=${service.port}`);
  return opened;
}

/** The uploaded file is a valid PDF for core validation (online revocation on the test PKI) and for pdfsig. */
async function expectValid(bytes: Uint8Array, signatures: number): Promise<void> {
  const report = await validatePdf(bytes, { trust, online: true, revocationTimeoutMs: 5_000 });
  expect(report.verdict, report.summaryEn).toBe('valid');
  expect(report.signatures).toHaveLength(signatures);
  expect(report.signatures.every((s) => s.level === 'B-T')).toBe(true);
  const checked = pdfsig(writeTemp(`upload-${sha256(bytes).slice(0, 8)}.pdf`, bytes), pki.nssDbSpec);
  expect(checked).toHaveLength(signatures);
  expect(checked.every((s) => s.signatureValidation === 'Signature is Valid.')).toBe(true);
}

const pageText = (bytes: Uint8Array, pageNumber: number): string =>
  spawnSync('pdftotext', ['-f', String(pageNumber), '-l', String(pageNumber), writeTemp(`text-${sha256(bytes).slice(0, 8)}.pdf`, bytes), '-'], { encoding: 'utf8' }).stdout;

beforeAll(async () => {
  [site, otherSite, tsa] = await Promise.all([startEOfficeSite(), startEOfficeSite(), startFakeTsa(pki)]);
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false });
  const common = { signatureImage: discPng(100, [20, 40, 200]), sealImage: discPng(100, [210, 20, 20]), level: 'B-T' as const, tsaUrl: tsa.url, trust };
  leader = { ...common, key: await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa'), signerName: 'Nguyễn Thị Hồng Nhung', organization: 'UBND tỉnh Cao Bằng' };
  agency = { ...common, key: await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa'), signerName: 'UBND tỉnh Cao Bằng', organization: 'UBND tỉnh Cao Bằng' };
  identity = leader;
  service = await startLocalService({
    port: 0,
    tls: await ensureTlsMaterial(path.join(dir, 'tls')),
    policy: new OriginPolicy({
      allowed: [site.origin],
      ask: async (origin) => {
        asked.push(origin);
        return decisions.shift() ?? 'never';
      },
    }),
    identity: async () => identity,
    certificate: async () => identity.key.certificate,
    // The user's confirmation: a document whose name says "huy" is cancelled, as a user pressing Hủy.
    confirm: async (preview) => {
      previews.push(preview);
      confirming++;
      mostConfirmingAtOnce = Math.max(mostConfirmingAtOnce, confirming);
      await new Promise((resolve) => setTimeout(resolve, confirmDelayMs));
      confirming--;
      return !preview.fileName.includes('huy');
    },
    keptDir,
    log: (entry) => log.push(entry),
    trust,
    version: 'vanthu thử',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  page = await openPage(site);
  site.files.set('cong-van.pdf', fixture('decree30/cong-van-khoang-trong.pdf'));
  site.files.set('to-trinh.pdf', fixture('classic-xref.pdf'));
  site.files.set('huy-bo.pdf', fixture('classic-xref.pdf'));
  otherSite.files.set('cong-van.pdf', fixture('classic-xref.pdf'));
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await Promise.all([site?.close(), otherSite?.close(), tsa?.close()]);
  await logoutAll();
  await finalizeAllModules();
});

const signing = (file: string, extra: Record<string, unknown> = {}) => ({ FileName: `${site.origin}/files/${file}`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID, JWTToken: JWT, ...extra });

describe('the local signing service driven by an e-office page in Chromium', () => {
  it('the leader approves, then the clerk issues with the number and date the page gives; each upload validates in core and pdfsig', async () => {
    identity = leader;
    const approved = await call(page, 'SignApproved', signing('cong-van.pdf'));
    expect(approved, approved.Message).toMatchObject({ Status: 0, FileName: 'da-ky-1-cong-van.pdf' });
    // FileServer is relayed from the upload handler as it answered (here a JSON string).
    expect(JSON.parse(approved.FileServer!)).toMatchObject({ path: '/files/da-ky-1-cong-van.pdf' });
    const first = site.uploads.at(-1)!;
    expect(first.cookie).toBe(`ASP.NET_SessionId=${SESSION_ID}`);
    expect(first.authorization).toBe(`Bearer ${JWT}`);
    await expectValid(first.bytes, 1);
    expect(previews.at(-1)).toMatchObject({ origin: site.origin, operation: 'SignApproved', fileName: 'cong-van.pdf', certificateSubject: 'Nguyễn Thị Hồng Nhung', documentSha256: sha256(site.files.get('cong-van.pdf')!) });
    expect(previews.at(-1)!.position).toMatch(/^trang 2, /);

    identity = agency;
    const issued = await call(page, 'SignIssued', signing('da-ky-1-cong-van.pdf', { DocNumber: '123/UBND-VP', IssuedDate: '2026-12-07T09:30:00+07:00' }));
    expect(issued, issued.Message).toMatchObject({ Status: 0, DocumentNumber: '123/UBND-VP', DocumentDate: '2026-12-07T09:30:00+07:00' });
    const second = site.uploads.at(-1)!;
    await expectValid(second.bytes, 2);
    // The number after "Số:" and the date in "ngày … tháng … năm" are written into page 1.
    const header = pageText(second.bytes, 1);
    expect(header).toMatch(/Số:\s*123\s*\/UBND-VP/);
    expect(header).toMatch(/ngày\s+07\s+tháng\s+12\s+năm 2026/);
  });

  it('signs the incoming mark, a comment, an appendix, a copy and a plain file, each with its stamp', async () => {
    identity = leader;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['SignIncome', { DocNumber: '45' }, /ĐẾN[\s\S]*Số: 45/],
      ['Comment', { Comment: 'Đồng ý trình ký' }, /Ý kiến: Đồng ý trình ký/],
      ['SignAppendix', { DocNumber: '05/UBND-VP' }, /05\/UBND-VP/],
      ['SignCopy', { MetaData: [{ Key: 'CopyType', Value: 'SAO Y' }] }, /SAO Y[\s\S]*UBND tỉnh Cao Bằng/],
      ['SignFile', {}, /./],
    ];
    for (const [operation, extra, stamp] of cases) {
      const before = site.uploads.length;
      const answer = await call(page, operation, signing('to-trinh.pdf', extra));
      expect(answer, `${operation}: ${answer.Message}`).toMatchObject({ Status: 0 });
      expect(site.uploads.length).toBe(before + 1);
      const uploaded = site.uploads.at(-1)!.bytes;
      await expectValid(uploaded, 1);
      const text = pageText(uploaded, operation === 'Comment' || operation === 'SignFile' ? 2 : 1);
      expect(text, operation).toMatch(stamp);
    }
  });

  it('signs a batch of files with one confirmation and answers per file', async () => {
    const before = site.uploads.length;
    const confirmationsBefore = previews.length;
    const answer = await call(page, 'SignFiles', {
      FileUploadHandler: `${site.origin}/upload`,
      SessionId: SESSION_ID,
      Files: [
        { FileID: 1, FileName: 'to-trinh.pdf', URL: `${site.origin}/files/to-trinh.pdf` },
        { FileID: 2, FileName: 'cong-van.pdf', URL: `${site.origin}/files/cong-van.pdf` },
      ],
    });
    expect(answer, answer.Message).toMatchObject({ Status: 0, Files: [{ FileID: 1, Status: 0 }, { FileID: 2, Status: 0 }] });
    expect(previews.length - confirmationsBefore).toBe(1);
    expect(previews.at(-1)!.batch).toHaveLength(2);
    expect(site.uploads.length).toBe(before + 2);
    for (const upload of site.uploads.slice(-2)) await expectValid(upload.bytes, 1);
  });

  it('verifies a signed PDF, signs and verifies a message, gives the certificate and the version', async () => {
    const verified = await call(page, 'VerifyPDF', { FileName: `${site.origin}/files/da-ky-1-cong-van.pdf`, SessionId: SESSION_ID });
    expect(verified, verified.Message).toMatchObject({ Status: 0, Verdict: 'valid', Signatures: [{ Signer: 'Nguyễn Thị Hồng Nhung', Level: 'B-T' }] });
    const unsigned = await call(page, 'VerifyPDF', { FileName: `${site.origin}/files/to-trinh.pdf`, SessionId: SESSION_ID });
    expect(unsigned.Status).not.toBe(0);
    expect(unsigned.Verdict).toBe('unsigned');

    const signed = await call(page, 'SignMsg', { Message: 'Đồng ý phương án 2' });
    expect(signed.Status).toBe(0);
    expect(await call(page, 'VerifyMsg', { Message: 'Đồng ý phương án 2', Signature: signed.Signature })).toMatchObject({ Status: 0 });
    const tampered = await call(page, 'VerifyMsg', { Message: 'Đồng ý phương án 3', Signature: signed.Signature });
    expect(tampered).toMatchObject({ Status: 9, Message: 'Nội dung thông điệp đã bị thay đổi sau khi ký.' });

    expect(await call(page, 'GetCertInfo', 'get_cert_info')).toMatchObject({ Status: 0, CertInfo: { SubjectCN: 'Nguyễn Thị Hồng Nhung' } });
    expect(await call(page, 'GetVersion', '{}')).toMatchObject({ Status: 0, Version: 'vanthu thử' });

    const xml = '<?xml version="1.0" encoding="UTF-8"?><ToTrinh xmlns="urn:vanthu:thu"><TrichYeu>Về việc triển khai ký số</TrichYeu></ToTrinh>';
    const signedXml = await call(page, 'SignXML', { XmlContent: xml });
    expect(signedXml, signedXml.Message).toMatchObject({ Status: 0 });
    const signedText = Buffer.from(signedXml.Signature!, 'base64').toString('utf8');
    expect(signedText).toContain('<TrichYeu>Về việc triển khai ký số</TrichYeu>');
    expect(signedText).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(await call(page, 'VerifyXML', { XmlContent: signedText })).toMatchObject({ Status: 0, Signer: expect.stringContaining('Nguyễn Thị Hồng Nhung') });
    // A changed word breaks it.
    expect(await call(page, 'VerifyXML', { XmlContent: signedText.replace('triển khai', 'hủy bỏ') })).toMatchObject({ Status: 9, Message: 'Dữ liệu XML đã bị thay đổi sau khi ký.' });
    expect((await call(page, 'VerifyXML', { XmlContent: xml })).Message).toBe('Dữ liệu XML không có chữ ký.');
  });

  it('asks about an unknown site: allowed once, then refused for good without asking again', async () => {
    const stranger = await openPage(otherSite);
    decisions.push('once', 'never');
    expect(await call(stranger, 'GetVersion', {})).toMatchObject({ Status: 0 });
    const refused = await call(stranger, 'SignFile', { FileName: `${otherSite.origin}/files/cong-van.pdf`, SessionId: SESSION_ID });
    expect(refused).toMatchObject({ Status: 2, ErrorCode: 'ORIGIN_REFUSED', Message: `Trang ${otherSite.origin} chưa được phép dùng chữ ký số trên máy này.` });
    expect(await call(stranger, 'GetVersion', {})).toMatchObject({ Status: 2 });
    expect(asked).toEqual([otherSite.origin, otherSite.origin]);
    expect(otherSite.hits.get('/files/cong-van.pdf')).toBeUndefined();
    await stranger.close();
  });

  it('refuses a download or upload URL on another site, touching neither site', async () => {
    const uploads = site.uploads.length;
    const download = await call(page, 'SignFile', { ...signing('x'), FileName: `${otherSite.origin}/files/cong-van.pdf` });
    expect(download).toMatchObject({ Status: 3, ErrorCode: 'URL_REFUSED' });
    expect(download.Message).toContain(otherSite.origin);
    const upload = await call(page, 'SignFile', { ...signing('to-trinh.pdf'), FileUploadHandler: `${otherSite.origin}/upload` });
    expect(upload).toMatchObject({ Status: 3, ErrorCode: 'URL_REFUSED' });
    expect([...otherSite.hits.keys()].filter((route) => route.startsWith('/files/') || route.startsWith('/upload'))).toEqual([]);
    expect(site.uploads.length).toBe(uploads);
  });

  it('answers a cancelled signing with a non-zero Status and a Vietnamese message, uploading nothing', async () => {
    const uploads = site.uploads.length;
    const answer = await call(page, 'SignApproved', signing('huy-bo.pdf'));
    expect(answer).toMatchObject({ Status: 1, Message: 'Người dùng đã hủy ký số.' });
    expect(site.uploads.length).toBe(uploads);
    expect(log.at(-1)).toMatchObject({ operation: 'SignApproved', outcome: 'cancelled', status: 1, documentSha256: [sha256(site.files.get('huy-bo.pdf')!)] });
  });

  it('queues two pages asking at once: one confirmation and signing at a time, both signed', async () => {
    const second = await openPage(site);
    confirmDelayMs = 400;
    mostConfirmingAtOnce = 0;
    const before = site.uploads.length;
    try {
      const [a, b] = await Promise.all([call(page, 'SignFile', signing('to-trinh.pdf')), call(second, 'SignFile', signing('cong-van.pdf'))]);
      expect([a.Status, b.Status]).toEqual([0, 0]);
    } finally {
      confirmDelayMs = 0;
      await second.close();
    }
    expect(mostConfirmingAtOnce).toBe(1);
    expect(site.uploads.length).toBe(before + 2);
  });

  it('keeps the signed file when the upload handler fails, tells the page, and goes on working', async () => {
    const answer = await call(page, 'SignFile', { ...signing('to-trinh.pdf'), FileUploadHandler: `${site.origin}/upload-broken` });
    expect(answer).toMatchObject({ Status: 6, ErrorCode: 'UPLOAD_FAILED' });
    expect(answer.Message).toContain('Tệp đã ký được lưu tại');
    expect(answer.KeptFile).toMatch(new RegExp(`^${keptDir}/`));
    await expectValid(new Uint8Array(readFileSync(answer.KeptFile!)), 1);
    expect(log.at(-1)).toMatchObject({ outcome: 'failed', status: 6, uploaded: false, keptFile: [answer.KeptFile] });

    const next = await call(page, 'SignFile', signing('to-trinh.pdf'));
    expect(next.Status).toBe(0);
  });

  it('logs every request with site, operation, document hash and outcome, and never the session, the token or the PIN', () => {
    const text = JSON.stringify(log);
    for (const secret of [SESSION_ID, JWT, pki.userPin]) expect(text).not.toContain(secret);
    expect(log.find((e) => e.operation === 'SignApproved' && e.outcome === 'ok')).toMatchObject({ origin: site.origin, documentSha256: [sha256(site.files.get('cong-van.pdf')!)], uploaded: true });
    expect(log.filter((e) => e.outcome === 'refused').map((e) => e.code)).toEqual(expect.arrayContaining(['ORIGIN_REFUSED', 'URL_REFUSED']));
  });
});
