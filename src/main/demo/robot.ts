// The demo's second agency, played by a small robot: it answers what we send (01 received, then 03 accepted a moment later) and sends us realistic signed documents to receive.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { documentMetadataFromDraft, renderDraft } from '../../core/drafting/index.js';
import { ExchangeClient, sendMessage, uuidV7, type LoginKey } from '../../core/exchange/index.js';
import { signPdf } from '../../core/signing/index.js';
import type { Signer } from '../../core/token/index.js';
import type { SignatureAlgorithm } from '../../shared/token.js';
import { vietnamToday } from '../../shared/vietnam-date.js';
import { pemToDer } from './pki.js';

export const ROBOT_ORGAN_ID = '000.00.01.T99';
export const ROBOT_NAME = 'Sở Nội vụ tỉnh Dùng Thử';
export const OUR_ORGAN_ID = '000.00.00.T99';

/** The robot's key is a software key (it stands for another agency's whole office, not a token on this desk). */
class SoftSigner implements Signer {
  constructor(private readonly key: KeyObject) {}
  async sign(data: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
    if (algorithm.name !== 'RSASSA-PKCS1-v1_5') throw new Error(`demo robot signs RSASSA-PKCS1-v1_5 only, not ${algorithm.name}`);
    return new Uint8Array(sign(algorithm.hash.replace('-', '').toLowerCase(), data, this.key));
  }
}

export interface RobotOptions {
  serverUrl: string;
  keyPem: string;
  certPem: string;
  /** How long the robot "reads" a document before accepting it (03). */
  acceptAfterMs?: number;
  pollMs?: number;
  /** Documents to send us once, at the first start only. */
  sendWelcome: boolean;
  onError?: (error: unknown) => void;
}

/** The documents the robot sends us: what a Sở would send its UBND on an ordinary day. */
export function welcomeDrafts(today: Date): Record<string, unknown>[] {
  const date = vietnamToday(today);
  const common = {
    organName: ROBOT_NAME,
    organId: ROBOT_ORGAN_ID,
    parentOrganName: 'UBND tỉnh Dùng Thử',
    issuedPlace: 'Dùng Thử',
    issuedDate: date,
    addressees: ['Ủy ban nhân dân tỉnh Dùng Thử'],
    recipientsList: ['Như trên', 'Lưu: VT, TCBC'],
  };
  return [
    {
      ...common,
      type: 'cong-van',
      codeNumber: '125',
      codeNotation: 'SNV-TCBC',
      subject: 'đề nghị cử cán bộ tham gia lớp bồi dưỡng chuyển đổi số năm 2026',
      signer: { authority: 'KT.', onBehalfOf: 'Giám đốc', position: 'Phó Giám đốc', fullName: 'Trần Thị Bình' },
      body: [
        { kind: 'paragraph', text: 'Thực hiện Kế hoạch bồi dưỡng cán bộ, công chức năm 2026, Sở Nội vụ tổ chức lớp bồi dưỡng kỹ năng chuyển đổi số cho cán bộ, công chức cấp tỉnh.' },
        { kind: 'paragraph', text: 'Sở Nội vụ đề nghị Ủy ban nhân dân tỉnh cử 02 cán bộ tham gia lớp bồi dưỡng và gửi danh sách về Sở Nội vụ trước ngày 20 tháng 12 năm 2026./.' },
      ],
    },
    {
      ...common,
      type: 'cong-van',
      codeNumber: '126',
      codeNotation: 'SNV-VP',
      priority: 1,
      subject: 'báo cáo tình hình sử dụng chữ ký số trong cơ quan nhà nước',
      signer: { position: 'Giám đốc', fullName: 'Lê Văn Cường' },
      body: [
        { kind: 'paragraph', text: 'Để tổng hợp báo cáo Bộ Nội vụ, Sở Nội vụ đề nghị Ủy ban nhân dân tỉnh báo cáo số lượng chứng thư số đã cấp và tình hình sử dụng chữ ký số trong gửi, nhận văn bản điện tử.' },
        { kind: 'paragraph', text: 'Báo cáo gửi về Sở Nội vụ qua hệ thống trao đổi văn bản điện tử./.' },
      ],
    },
  ];
}

export class DemoRobot {
  private readonly client: ExchangeClient;
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<NodeJS.Timeout>();
  private loginKey: LoginKey | undefined;

  constructor(private readonly options: RobotOptions) {
    this.client = new ExchangeClient({ serverUrl: options.serverUrl, loginKey: () => this.loginKey });
  }

  async start(): Promise<void> {
    const key = createPrivateKey(await readFile(this.options.keyPem));
    this.loginKey = { signer: new SoftSigner(key), certificate: await pemToDer(this.options.certPem), chain: [], keyType: 'rsa' };
    await this.client.login();
    if (this.options.sendWelcome) await this.sendWelcome();
    this.schedule();
  }

  /** Signs and sends the welcome documents to our agency, as the other Sở would. */
  async sendWelcome(): Promise<void> {
    const serverKey = await this.client.serverKey();
    for (const draft of welcomeDrafts(new Date())) {
      const pdf = await renderDraft(draft);
      const signed = await signPdf(pdf, this.loginKey!, { level: 'B-B', reason: 'Đóng dấu cơ quan (bản thử)', location: 'Dùng Thử' });
      const metadata = documentMetadataFromDraft(draft as never);
      await sendMessage(this.client, serverKey, {
        messageId: uuidV7(),
        recipients: [OUR_ORGAN_ID],
        metadata: {
          subject: metadata.subject,
          organName: ROBOT_NAME,
          codeNumber: String((draft as { codeNumber: string }).codeNumber),
          codeNotation: metadata.codeNotation,
          issuedDate: String((draft as { issuedDate: string }).issuedDate),
          typeName: metadata.typeName,
          language: 'vi',
          priority: metadata.priority,
          signerInfo: { position: metadata.signerPosition ?? '', fullName: metadata.signerFullName ?? '' },
        },
        files: [{ bytes: signed.bytes, name: 'cong-van.pdf', role: 'main' }],
      });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick().finally(() => this.schedule()), this.options.pollMs ?? 1_000);
  }

  /** What we sent arrives here: received (01) at once, accepted (03) a moment later; then acknowledged. */
  async tick(): Promise<void> {
    try {
      const { items, nextCursor } = await this.client.inbox(this.cursor);
      for (const item of items) {
        if (item.type !== 'new') continue;
        await this.client.postStatus(item.messageId, '01');
        const later = setTimeout(() => {
          this.pending.delete(later);
          if (!this.stopped) void this.client.postStatus(item.messageId, '03').catch((error: unknown) => this.options.onError?.(error));
        }, this.options.acceptAfterMs ?? 3_000);
        this.pending.add(later);
      }
      if (items.length > 0) await this.client.ack(items.map((item) => item.messageId));
      this.cursor = nextCursor;
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
