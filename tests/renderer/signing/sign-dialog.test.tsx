// @vitest-environment happy-dom
// The sign dialog against a fake window.vanthu: the PIN sent once and cleared, tries-left warnings, a locked token, progress, issue mode, no PIN left in the DOM.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcResponse, IpcResult, VanthuApi } from '../../../src/shared/ipc-contract.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { preferredChoice, SignDialog, signingChoices } from '../../../src/renderer/src/signing/SignDialog.js';

const i18n = initI18n('vi');

/** ASCII text as hex (renderer tests have no Node Buffer). */
const hexOf = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
type Reports = IpcResponse<'tokens.list'>;
type Flags = Reports[number]['tokens'][number]['flags'];

const name = (commonName: string, organization?: string) => ({
  commonName,
  ...(organization ? { organization } : {}),
  organizationalUnits: [],
  uids: [],
  text: `CN=${commonName}`,
  attributes: [],
});

const fingerprint = (id: string) => hexOf(id).padEnd(64, '0').slice(0, 64);

function certificate(id: string, commonName: string, notAfter: string, serialNumber = '01', notBefore = '2025-01-01T00:00:00Z') {
  return {
    id,
    label: id,
    privateKey: 'unknown' as const,
    certificate: {
      subject: name(commonName, 'UBND tỉnh Cao Bằng'),
      issuer: name('Test CA Chuyên dùng Chính phủ'),
      serialNumber,
      notBefore,
      notAfter,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      publicKey: { type: 'rsa' as const, bits: 2048 },
      vietnameseIds: {},
      isCA: false,
      sha256: fingerprint(id),
      der: btoa(id),
    },
  };
}

const noFlags: Flags = {
  tokenInitialized: true,
  loginRequired: true,
  userPinInitialized: true,
  protectedAuthenticationPath: false,
  userPinCountLow: false,
  userPinFinalTry: false,
  userPinLocked: false,
  userPinToBeChanged: false,
  writeProtected: false,
};

interface Fake {
  flags: Flags;
  calls: { channel: string; request: Record<string, unknown> }[];
  /** What signing.sign / signing.issue answer; a promise lets a test look while it waits. */
  answer: (request: Record<string, unknown>) => Promise<IpcResult<unknown>>;
  progress?: (payload: { documentId: number; step: string }) => void;
  /** Revocation answers by certificate id (default good); a promise held open keeps the picker "checking". */
  revocation: Record<string, 'good' | 'revoked' | 'unknown'>;
  revocationGate?: Promise<void>;
  /** What signing.image answers for any certificate. */
  image: { image: { pngBase64: string; perCertificate: boolean } | null; problem: { vi: string; en: string } | null };
  /** Extra certificates on the token (added by a test). */
  extra: ReturnType<typeof certificate>[];
}
const PNG_BASE64 = 'iVBORw0KGgo=';
let fake: Fake;

function reports(): Reports {
  return [
    {
      path: '/usr/lib/softhsm/libsofthsm2.so',
      vendor: 'SoftHSM',
      loaded: true,
      tokens: [
        {
          modulePath: '/usr/lib/softhsm/libsofthsm2.so',
          slotId: '1',
          label: 'VANTHU LEADER',
          serial: 'abc123',
          manufacturer: 'SoftHSM',
          model: 'v2',
          flags: { ...fake.flags },
          certificates: [certificate('leader-rsa', 'Nguyễn Thị Hồng Nhung', '2030-01-01T00:00:00Z'), certificate('old', 'Nguyễn Thị Hồng Nhung (cũ)', '2020-01-01T00:00:00Z'), ...fake.extra],
        },
      ],
    },
  ];
}

beforeEach(() => {
  fake = { flags: { ...noFlags }, calls: [], answer: async () => ({ ok: true, value: {} }), revocation: {}, image: { image: { pngBase64: PNG_BASE64, perCertificate: true }, problem: null }, extra: [] };
  const api: VanthuApi = {
    invoke: (async (channel: string, request: Record<string, unknown>) => {
      fake.calls.push({ channel, request });
      if (channel === 'tokens.list') return { ok: true, value: reports() };
      if (channel === 'certificates.revocation') {
        await fake.revocationGate;
        const ids = (request.certificates as string[]).map((der) => atob(der));
        return { ok: true, value: ids.map((id) => ({ sha256: fingerprint(id), status: fake.revocation[id] ?? 'good', revokedAt: null })) };
      }
      if (channel === 'signing.image') return { ok: true, value: fake.image };
      if (channel === 'signing.setImage') {
        fake.image = { image: { pngBase64: String(request.pngBase64), perCertificate: true }, problem: null };
        return { ok: true, value: fake.image };
      }
      return fake.answer(request);
    }) as VanthuApi['invoke'],
    on: ((event: string, listener: (payload: { documentId: number; step: string }) => void) => {
      if (event === 'signing.progress') fake.progress = listener;
      return () => undefined;
    }) as VanthuApi['on'],
  };
  Object.defineProperty(window, 'vanthu', { value: api, configurable: true });
});
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const wrongPin = (): Promise<IpcResult<unknown>> => {
  fake.flags = { ...fake.flags, userPinCountLow: true };
  return Promise.resolve({ ok: false, error: { code: 'TOKEN_PIN_INCORRECT', messageVi: 'Mã PIN không đúng. Còn ít lần thử trước khi thiết bị bị khóa.', messageEn: 'Wrong PIN.' } });
};
const signedValue = { revision: 2, level: 'B-B', pendingLevel: null, state: 'signed_by_leader', report: { verdict: 'valid', summary: { vi: '', en: '' } } };

async function openDialog(props: Partial<Parameters<typeof SignDialog>[0]> = {}) {
  const done: string[] = [];
  let closed = 0;
  const view = render(<SignDialog mode="sign" documentId={7} fileId={9} onDone={(m) => done.push(m)} onClose={() => closed++} {...props} />);
  await screen.findByLabelText(/Nguyễn Thị Hồng Nhung — RSA 2048/);
  // The leader's image is read before the PIN opens: wait for it like a user would.
  if (props.mode !== 'issue' && fake.image.image) await screen.findByAltText('Ảnh chữ ký sẽ đặt lên văn bản');
  return { done, closed: () => closed, view };
}

const pinField = () => screen.getByLabelText<HTMLInputElement>('Mã PIN của USB token');
const typePin = (pin: string) => {
  fireEvent.input(pinField(), { target: { value: pin } });
};

describe('sign dialog', () => {
  it('sends the PIN once, clears the field, and shows the wrong-PIN error with the tries-left warning', async () => {
    fake.answer = wrongPin;
    await openDialog();
    expect(pinField().type).toBe('password');
    expect(pinField().autocomplete).toBe('off');
    typePin('111111');
    fireEvent.click(screen.getByRole('button', { name: 'Ký số' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Mã PIN không đúng');
    expect(pinField().value).toBe('');
    await screen.findByText('Cảnh báo: đã nhập sai PIN, còn ít lần thử trước khi token bị khóa.');
    const signs = fake.calls.filter((c) => c.channel === 'signing.sign');
    expect(signs).toHaveLength(1);
    expect(signs[0]!.request).toMatchObject({ documentId: 7, fileId: 9, pin: '111111', appearance: 'leader', level: 'B-B', certificateId: 'leader-rsa', token: { label: 'VANTHU LEADER', serial: 'abc123' } });
    // Nothing to submit until a PIN is typed again.
    expect(screen.getByRole('button', { name: 'Ký số' }).hasAttribute('disabled')).toBe(true);
    expect(document.body.innerHTML).not.toContain('111111');
  });

  it('clears the PIN the moment it is sent, shows progress, and leaves no PIN in the DOM after closing', async () => {
    let resolve!: (value: IpcResult<unknown>) => void;
    fake.answer = () => new Promise((r) => (resolve = r));
    const { done, view } = await openDialog({ placement: { page: 1, rect: [300, 100, 150, 75] } });
    screen.getByText('Vị trí: Trang 1, vị trí đã chọn trên trang');
    typePin('123456');
    fireEvent.click(screen.getByRole('button', { name: 'Ký số' }));
    await waitFor(() => expect(fake.calls.some((c) => c.channel === 'signing.sign')).toBe(true));
    expect(pinField().value).toBe('');
    expect(screen.getByRole('status').textContent).toContain('Đang ký');
    act(() => fake.progress?.({ documentId: 7, step: 'signing' }));
    expect(screen.getByRole('status').textContent).toContain('Đang ký trên USB token…');
    expect(fake.calls.find((c) => c.channel === 'signing.sign')!.request).toMatchObject({ page: 1, rect: [300, 100, 150, 75] });
    await act(async () => resolve({ ok: true, value: signedValue }));
    await waitFor(() => expect(done).toEqual(['Đã ký: phiên bản 2, mức B-B.']));
    view.unmount();
    expect(document.body.innerHTML).not.toContain('123456');
  });

  it('warns at the final try, and a locked token cannot be used', async () => {
    fake.flags = { ...noFlags, userPinFinalTry: true };
    await openDialog();
    await screen.findByText('Cảnh báo: chỉ còn 1 lần thử PIN trước khi token bị khóa.');
    cleanup();
    fake.flags = { ...noFlags, userPinLocked: true };
    await openDialog();
    await screen.findByText('PIN của token này đã bị khóa. Liên hệ nhà cung cấp chứng thư số.');
    expect(pinField().disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Ký số' }).hasAttribute('disabled')).toBe(true);
  });

  it('shows who, which CA and until when, warns of an expired certificate; issue mode calls signing.issue', async () => {
    fake.answer = async () => ({ ok: true, value: { ...signedValue, revision: 3, state: 'issued', codeNumber: '05', issuedDate: '2026-11-25' } });
    const { done } = await openDialog({ mode: 'issue' });
    screen.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
    const old = screen.getByLabelText(/Nguyễn Thị Hồng Nhung \(cũ\)/).closest('label')!;
    expect(old.textContent).toContain('Đã hết hạn');
    expect(old.textContent).toContain('Nhà cung cấp (CA): Test CA Chuyên dùng Chính phủ');
    expect(screen.queryByLabelText('Hình thức chữ ký')).toBeNull();
    typePin('123456');
    fireEvent.click(screen.getByRole('button', { name: 'Cấp số và đóng dấu' }));
    await waitFor(() => expect(done).toEqual(['Đã cấp số 05 ngày 25/11/2026 và đóng dấu cơ quan.']));
    expect(fake.calls.filter((c) => c.channel === 'signing.issue').map((c) => c.request)).toEqual([
      expect.objectContaining({ documentId: 7, certificateId: 'leader-rsa', pin: '123456', level: 'B-B' }),
    ]);
  });

  it("offers the document's signer first, and an agency certificate first for issuing", () => {
    const list = reports();
    const agencyCertificate = certificate('agency-rsa', 'UBND tỉnh Cao Bằng', '2030-01-01T00:00:00Z');
    list[0]!.tokens[0]!.certificates.unshift(certificate('spare', 'Trần Văn Đức', '2030-01-01T00:00:00Z'));
    list[0]!.tokens[0]!.certificates.push(agencyCertificate);
    const choices = signingChoices(list);
    expect(preferredChoice(choices, 'sign', 'Nguyễn Thị Hồng Nhung')?.certificate.id).toBe('leader-rsa');
    expect(preferredChoice(choices, 'sign', 'Người khác')?.certificate.id).toBe('spare');
    expect(preferredChoice(choices, 'issue')?.certificate.id).toBe('agency-rsa');
  });

  it('closes on Escape and with Cancel, and speaks English', async () => {
    await act(() => i18n.changeLanguage('en'));
    let count = 0;
    render(<SignDialog mode="sign" documentId={7} fileId={9} onDone={() => {}} onClose={() => count++} />);
    await screen.findByLabelText(/Nguyễn Thị Hồng Nhung — RSA 2048/);
    screen.getByLabelText('USB token PIN');
    fireEvent.keyDown(screen.getByRole('dialog', { name: 'Sign the document' }), { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(count).toBe(2);
  });
});

describe('certificate picker', () => {
  const radioOf = (id: string) => screen.getAllByRole<HTMLInputElement>('radio').find((r) => r.value.endsWith(`|${id}`))!;
  const rowOf = (id: string) => radioOf(id).closest('label')!;

  it('tells same-name certificates apart by the serial tail, marks revoked and expired ones in words, and never preselects them', async () => {
    let open!: () => void;
    fake.revocationGate = new Promise((r) => (open = r));
    fake.extra = [
      certificate('twin-a', 'Phạm Văn An', '2030-01-01T00:00:00Z', '0A1B2C3D4E5F60'),
      certificate('twin-b', 'Phạm Văn An', '2030-01-01T00:00:00Z', '0a:1b:2c:3d:4e:5f:61'),
      certificate('future', 'Phạm Văn An', '2031-01-01T00:00:00Z', '77', '2030-06-01T00:00:00Z'),
    ];
    fake.revocation = { 'leader-rsa': 'revoked', 'twin-b': 'unknown' };
    await openDialog({ signerName: 'Nguyễn Thị Hồng Nhung' });
    // While main is asking, every row says so.
    await waitFor(() => expect(rowOf('twin-a').textContent).toContain('Đang kiểm tra thu hồi…'));
    await act(async () => open());
    await waitFor(() => expect(rowOf('leader-rsa').textContent).toContain('Đã bị thu hồi'));

    const a = rowOf('twin-a').textContent!;
    const b = rowOf('twin-b').textContent!;
    expect(a).toContain('…4E5F60');
    expect(b).toContain('…4E5F61');
    expect(a).toContain('Hiệu lực: 01/01/2025 – 01/01/2030');
    expect(a).toContain('UBND tỉnh Cao Bằng');
    expect(a).toContain('Nhà cung cấp (CA): Test CA Chuyên dùng Chính phủ');
    expect(a).toContain('Còn hiệu lực');
    expect(b).toContain('Chưa kiểm tra được (không có mạng)');
    expect(rowOf('old').textContent).toContain('Đã hết hạn');
    expect(rowOf('future').textContent).toContain('Chưa đến ngày hiệu lực');
    // The document's signer holds only a revoked certificate: the first usable one is offered instead.
    expect(radioOf('leader-rsa').checked).toBe(false);
    expect(radioOf('old').checked).toBe(false);
    expect(radioOf('future').checked).toBe(false);
    expect(radioOf('twin-a').checked).toBe(true);
    // Choosing a marked certificate stays possible, knowingly.
    fireEvent.click(radioOf('leader-rsa'));
    expect(radioOf('leader-rsa').checked).toBe(true);
    const asked = fake.calls.filter((c) => c.channel === 'certificates.revocation');
    expect(asked).toHaveLength(1);
    expect((asked[0]!.request.certificates as string[]).length).toBe(5);
  });

  it('preferredChoice skips expired certificates even for the named signer', () => {
    const list = reports();
    list[0]!.tokens[0]!.certificates.splice(0, 1);
    expect(preferredChoice(signingChoices(list), 'sign', 'Nguyễn Thị Hồng Nhung (cũ)')).toBeUndefined();
  });
});

describe('signature image before the PIN', () => {
  it('shows the certificate image as a preview before the PIN can be typed', async () => {
    await openDialog();
    const preview = await screen.findByAltText<HTMLImageElement>('Ảnh chữ ký sẽ đặt lên văn bản');
    expect(preview.src).toBe(`data:image/png;base64,${PNG_BASE64}`);
    screen.getByText('Ảnh chữ ký riêng của chứng thư số này');
    expect(pinField().disabled).toBe(false);
    const asked = fake.calls.find((c) => c.channel === 'signing.image');
    expect(asked?.request).toEqual({ certificateSha256: fingerprint('leader-rsa') });
  });

  it('reports a missing image file before the PIN, and signs with the text-only stamp when chosen', async () => {
    fake.image = { image: null, problem: { vi: 'Không đọc được tệp ảnh chữ ký đã chọn (chu-ky.png): tệp đã bị xóa hoặc chuyển đi.', en: 'gone' } };
    fake.answer = async () => ({ ok: true, value: signedValue });
    const { done } = await openDialog();
    await screen.findByText(/Không đọc được tệp ảnh chữ ký đã chọn \(chu-ky.png\)/);
    screen.getByText('Hãy chọn ảnh chữ ký hoặc chọn ký với dấu chỉ có chữ trước khi nhập PIN.');
    expect(pinField().disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Ký số' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByLabelText('Ký không có ảnh: dấu chỉ có chữ (người ký và thời gian ký)'));
    screen.getByText('Dấu sẽ ghi: “Ký bởi: Nguyễn Thị Hồng Nhung” và thời gian ký.');
    expect(pinField().disabled).toBe(false);
    typePin('123456');
    fireEvent.click(screen.getByRole('button', { name: 'Ký số' }));
    await waitFor(() => expect(done).toHaveLength(1));
    expect(fake.calls.find((c) => c.channel === 'signing.sign')!.request).toMatchObject({ appearance: 'leader', textOnly: true, pin: '123456' });
  });

  it('a certificate without an image gets one chosen with our file button, checked by main, then the PIN opens', async () => {
    fake.image = { image: null, problem: null };
    await openDialog();
    await screen.findByText('Chứng thư số này chưa có ảnh chữ ký.');
    expect(pinField().disabled).toBe(true);
    const input = document.querySelector<HTMLInputElement>('.certificate-image input[type=file]')!;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    fireEvent.change(input, { target: { files: [new File([png], 'chu-ky.png', { type: 'image/png' })] } });
    await screen.findByAltText('Ảnh chữ ký sẽ đặt lên văn bản');
    expect(fake.calls.find((c) => c.channel === 'signing.setImage')!.request).toEqual({ certificateSha256: fingerprint('leader-rsa'), pngBase64: btoa(String.fromCharCode(...png)) });
    expect(pinField().disabled).toBe(false);
    // A file that is not a PNG is refused here and nothing is saved.
    fireEvent.change(input, { target: { files: [new File(['%PDF-1.7'], 'van-ban.pdf')] } });
    await screen.findByText('Tệp “van-ban.pdf” không phải ảnh PNG (tối đa 2 MB).');
    expect(fake.calls.filter((c) => c.channel === 'signing.setImage')).toHaveLength(1);
  });
});
