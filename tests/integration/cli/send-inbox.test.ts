// `vanthu send` and `vanthu inbox` as a user runs them, against an exchange server on loopback in this process (SQLite).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidV7 } from '../../../src/core/exchange/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { getDocument, listFiles, open, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { runVanthu } from '../../kit/cli.js';
import { fixture } from '../../kit/pdf-tools.js';
import { selfSignedSoftKey } from '../../kit/soft-cms.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import { CAO_BANG, NOI_VU, ORIGIN, sha256, startTestServer, type Keys, type TestServer } from '../server/kit.js';

const pki = usePki();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-send-'));
let server: TestServer;
let url: string;
let goodPdf: Uint8Array;
let goodFile: string;
let tamperedFile: string;
let sealOnlyFile: string;

beforeAll(async () => {
  const keys: Keys = {
    agency: await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa'),
    leader: await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa'),
    leaderEc: await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-ec'),
    spare: await tokenSigningKey(pki, 'VANTHU SPARE', 'spare-rsa'),
    revoked: await tokenSigningKey(pki, 'VANTHU REVOKED', 'revoked-rsa'),
  };
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  goodFile = path.join(dir, 'cong-van.pdf');
  writeFileSync(goodFile, goodPdf);
  const tampered = new Uint8Array(goodPdf);
  const at = Buffer.from(tampered).indexOf('So: 05');
  tampered[at + 4] = '6'.charCodeAt(0);
  tamperedFile = path.join(dir, 'sua-doi.pdf');
  writeFileSync(tamperedFile, tampered);
  sealOnlyFile = path.join(dir, 'thong-bao.pdf');
  writeFileSync(sealOnlyFile, (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes);
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  await logoutAll();
});

afterAll(async () => {
  await server?.close();
  await finalizeAllModules();
  rmSync(dir, { recursive: true, force: true });
});

const connection = (token: string, cert: string): string[] => ['--server', url, '--origin', ORIGIN, '--module', pki.module, '--token', token, '--cert', cert, '--chain', pki.subCaPem, '--pin-stdin'];
// Functions: the server's URL is known only once it listens.
const asAgency = (): string[] => connection('VANTHU AGENCY', 'agency-rsa');
const asNoiVu = (): string[] => connection('VANTHU SPARE', 'spare-rsa');

describe('vanthu send and vanthu inbox', () => {
  it('sends once under one message id, and the recipient stores, registers and accepts it', async () => {
    const messageId = uuidV7();
    const args = ['send', goodFile, '--to', NOI_VU, ...asAgency(), '--subject', 'Về việc triển khai văn bản điện tử', '--code-number', '05', '--code-notation', 'UBND-VP', '--message-id', messageId, '--json'];
    const sent = await runVanthu(args, { stdin: `${pki.userPin}\n` });
    expect(sent.code, sent.stderr + sent.stdout).toBe(0);
    const first = JSON.parse(sent.stdout);
    expect(first).toMatchObject({ ok: true, messageId, skippedFiles: 0, receipt: { receipt: { sender: CAO_BANG, recipients: [NOI_VU] } } });
    expect(sent.stdout + sent.stderr).not.toContain(pki.userPin);

    // The same command again (the first answer was lost, say): one message on the server, the same receipt.
    const again = await runVanthu(args, { stdin: `${pki.userPin}\n` });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, skippedFiles: 1, uploadedBytes: 0, receipt: first.receipt });

    const data = path.join(dir, 'noi-vu');
    const pulled = await runVanthu(['inbox', ...asNoiVu(), '--data', data, '--trust', pki.rootPem, '--reply', 'accepted', '--json'], { stdin: `${pki.userPin}\n` });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    const result = JSON.parse(pulled.stdout);
    expect(result.stored).toHaveLength(1);
    expect(result.stored[0]).toMatchObject({ messageId, arrivalNumber: 1 });
    const store = open(data);
    try {
      const document = getDocument(store.db, result.stored[0].documentId);
      expect(document).toMatchObject({ state: 'accepted', organId: CAO_BANG, codeNumber: '05', codeNotation: 'UBND-VP' });
      expect(sha256(readLatest(store.db, store.blobs, listFiles(store.db, document.id)[0]!.id))).toBe(sha256(goodPdf));
    } finally {
      store.close();
    }

    const empty = await runVanthu(['inbox', ...asNoiVu(), '--data', data, '--trust', pki.rootPem], { stdin: `${pki.userPin}\n` });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('no new documents');
  });

  it('running the same send twice (no --message-id) gives the recipient one document; --again gives a second', async () => {
    const args = ['send', sealOnlyFile, '--to', NOI_VU, ...asAgency(), '--subject', 'Thông báo lịch họp', '--code-number', '17', '--code-notation', 'TB-UBND', '--json'];
    const first = await runVanthu(args, { stdin: `${pki.userPin}\n` });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const sent = JSON.parse(first.stdout);
    // Derived from the send: a UUIDv8.
    expect(sent.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const second = await runVanthu(args, { stdin: `${pki.userPin}\n` });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ messageId: sent.messageId, skippedFiles: 1, uploadedBytes: 0, receipt: sent.receipt });

    const data = path.join(dir, 'noi-vu-twice');
    const inbox = ['inbox', ...asNoiVu(), '--data', data, '--trust', pki.rootPem, '--json'];
    const pulled = await runVanthu(inbox, { stdin: `${pki.userPin}\n` });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(JSON.parse(pulled.stdout).stored.map((d: { messageId: string }) => d.messageId)).toEqual([sent.messageId]);

    const again = await runVanthu([...args, '--again'], { stdin: `${pki.userPin}\n` });
    expect(again.code, again.stderr).toBe(0);
    const resent = JSON.parse(again.stdout);
    expect(resent.messageId).not.toBe(sent.messageId);
    // The server's advice comes through: the same number and notation were sent before.
    expect(sent.warnings).toEqual([]);
    expect(resent.warnings).toEqual([expect.objectContaining({ code: 'SERVER_DUPLICATE_NUMBER', earlier: [sent.messageId] })]);
    const pulledAgain = await runVanthu(inbox, { stdin: `${pki.userPin}\n` });
    expect(JSON.parse(pulledAgain.stdout).stored.map((d: { messageId: string }) => d.messageId)).toEqual([resent.messageId]);
    expect((await runVanthu([...args, '--again', '--message-id', uuidV7()])).code).toBe(2);
  });

  it('a recipient that lacks the root holds the document (01 only) and says why in words, both languages, no code', async () => {
    const sent = await runVanthu(['send', goodFile, '--to', NOI_VU, ...asAgency(), '--subject', 'Chưa có gốc tin cậy', '--again', '--json'], { stdin: `${pki.userPin}\n` });
    expect(sent.code, sent.stderr + sent.stdout).toBe(0);
    const { messageId } = JSON.parse(sent.stdout) as { messageId: string };
    // Its only trusted root is somebody else's.
    const otherRoot = path.join(dir, 'goc-khac.der');
    writeFileSync(otherRoot, selfSignedSoftKey('/C=VN/O=Tổ chức khác/CN=Gốc khác').certificate);
    const pulled = await runVanthu(['inbox', ...asNoiVu(), '--data', path.join(dir, 'noi-vu-no-root'), '--trust', otherRoot, '--reply', 'accepted'], { stdin: `${pki.userPin}\n` });
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    // Stored and registered like any arrival, and held.
    expect(pulled.stdout).toMatch(new RegExp(`^Đã nhận / stored: ${messageId} `, 'm'));
    const line = pulled.stdout.split('\n').find((l) => l.startsWith('Cần kiểm tra lại') && l.includes(messageId)) ?? '';
    expect(line).toContain('máy chưa có chứng thư gốc của tổ chức cấp chứng thư số cho người ký');
    expect(line).toContain('vanthu sẽ tự kiểm tra lại; không trả lại văn bản.');
    expect(line).toContain('lacks the root certificate');
    expect(line).not.toMatch(/CHAIN_UNTRUSTED|indeterminate \(/);
  });

  it('fails (exit 1) with the server reasons when a PDF was changed after signing', async () => {
    const sent = await runVanthu(['send', tamperedFile, '--to', NOI_VU, ...asAgency(), '--json'], { stdin: `${pki.userPin}\n` });
    expect(sent.code, sent.stderr + sent.stdout).toBe(1);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: false, error: { code: 'EXCHANGE_REFUSED', params: { status: 422 } } });
  });

  it('refuses bad usage with exit 2 before asking for the PIN', async () => {
    expect((await runVanthu(['send', goodFile, ...asAgency()])).code).toBe(2);
    expect((await runVanthu(['send', goodFile, '--to', 'Sở Nội vụ', ...asAgency()])).code).toBe(2);
    expect((await runVanthu(['send', goodFile, '--to', NOI_VU, '--server', url, '--module', pki.module])).code).toBe(2);
    expect((await runVanthu(['inbox', ...asNoiVu(), '--reply', 'later'])).code).toBe(2);
  });
});
