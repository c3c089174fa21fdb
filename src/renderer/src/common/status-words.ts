// Words for recipient status codes (01..16, DOMAIN.md) and document states (src/shared/document.ts), in Vietnamese and English.
import type { DocumentState, RecipientStatus } from '../../../shared/document.js';

type Words<K extends string> = Record<'vi' | 'en', Record<K, string>>;

export const recipientStatusWords: Words<RecipientStatus> = {
  vi: {
    '01': 'Đã đến',
    '02': 'Từ chối',
    '03': 'Đã tiếp nhận',
    '04': 'Đã phân công',
    '05': 'Đang xử lý',
    '06': 'Hoàn thành',
    '13': 'Yêu cầu lấy lại',
    '15': 'Đồng ý lấy lại/cập nhật',
    '16': 'Từ chối lấy lại/cập nhật',
  },
  en: {
    '01': 'Arrived',
    '02': 'Rejected',
    '03': 'Accepted',
    '04': 'Assigned',
    '05': 'Processing',
    '06': 'Done',
    '13': 'Recall requested',
    '15': 'Recall/update agreed',
    '16': 'Recall/update refused',
  },
};

export const documentStateWords: Words<DocumentState> = {
  vi: {
    draft: 'Dự thảo',
    signed_by_leader: 'Lãnh đạo đã ký',
    issued: 'Đã ban hành',
    queued: 'Chờ gửi',
    sending: 'Đang gửi',
    sent: 'Đã gửi',
    failed: 'Gửi lỗi',
    needs_attention: 'Cần xử lý',
    received: 'Mới đến',
    registered: 'Đã vào sổ',
    accepted: 'Đã tiếp nhận',
    rejected: 'Đã từ chối',
    assigned: 'Đã phân công',
    processing: 'Đang xử lý',
    done: 'Hoàn thành',
    recalled: 'Đã thu hồi',
  },
  en: {
    draft: 'Draft',
    signed_by_leader: 'Signed by the leader',
    issued: 'Issued',
    queued: 'Queued',
    sending: 'Sending',
    sent: 'Sent',
    failed: 'Sending failed',
    needs_attention: 'Needs attention',
    received: 'Received',
    registered: 'Registered',
    accepted: 'Accepted',
    rejected: 'Rejected',
    assigned: 'Assigned',
    processing: 'Processing',
    done: 'Done',
    recalled: 'Recalled',
  },
};

/** Recipient status with no code yet: queued or sent, not yet acknowledged. */
export const noStatusWords = { vi: 'Chưa có trạng thái', en: 'No status yet' } as const;

/** Which colour family a chip takes: good news, bad news, waiting, or neutral. */
export type ChipTone = 'ok' | 'bad' | 'wait' | 'neutral';

export const recipientStatusTone: Record<RecipientStatus, ChipTone> = {
  '01': 'wait',
  '02': 'bad',
  '03': 'ok',
  '04': 'ok',
  '05': 'wait',
  '06': 'ok',
  '13': 'wait',
  '15': 'neutral',
  '16': 'bad',
};

export const documentStateTone: Record<DocumentState, ChipTone> = {
  draft: 'neutral',
  signed_by_leader: 'wait',
  issued: 'ok',
  queued: 'wait',
  sending: 'wait',
  sent: 'ok',
  failed: 'bad',
  needs_attention: 'bad',
  received: 'wait',
  registered: 'neutral',
  accepted: 'ok',
  rejected: 'bad',
  assigned: 'neutral',
  processing: 'wait',
  done: 'ok',
  recalled: 'bad',
};

export const wordsLanguage = (language: string): 'vi' | 'en' => (language.startsWith('en') ? 'en' : 'vi');
