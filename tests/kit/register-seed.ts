// A store holding a small outgoing and incoming register (fixed dates in 2026), for the register print/export tests of core, the CLI and the app.
import { assignOutgoingNumber, createDocument, registerIncoming, transition, type Db } from '../../src/core/store/index.js';

export const OUR_AGENCY = { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng' } as const;

const at = (iso: string): number => Date.parse(iso);

/** Four outgoing documents (one long, one in another year) and three incoming ones, numbered and registered. */
export function seedRegisters(db: Db): { outgoing: number[]; incoming: number[] } {
  const outgoing = [
    {
      when: '2026-02-03T09:00:00+07:00',
      typeName: 'Công văn',
      subject: 'Về việc triển khai văn bản điện tử trên địa bàn tỉnh',
      toPlaces: 'Nơi nhận:\n- Như trên;\n- Sở Nội vụ;\n- Lưu: VT, VP.',
      recipients: [
        { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
        { organId: '000.00.18.G12', organName: 'Bộ Nội vụ' },
      ],
      issuedAmount: 5,
    },
    {
      when: '2026-03-15T14:00:00+07:00',
      typeName: 'Quyết định',
      subject:
        'Về việc phê duyệt kế hoạch chuyển đổi số giai đoạn 2026–2030 của tỉnh, gồm việc số hóa hồ sơ, lưu trữ điện tử, ký số văn bản đi và tiếp nhận văn bản đến qua trục liên thông quốc gia, đào tạo cán bộ, công chức và viên chức ở mọi cấp',
      toPlaces: 'Nơi nhận:\n- Các sở, ban, ngành;\n- UBND các huyện, thành phố;\n- Lưu: VT, KGVX.',
      recipients: [],
      issuedAmount: 40,
    },
    {
      when: '2026-11-20T08:30:00+07:00',
      typeName: 'Thông báo',
      subject: 'Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp giao ban tháng 11',
      toPlaces: '- Các thành viên UBND tỉnh;\n- Lưu: VT.',
      recipients: [{ organId: '000.00.15.H14', organName: 'Sở Tư pháp tỉnh Cao Bằng' }],
      issuedAmount: 12,
    },
    {
      when: '2025-12-30T10:00:00+07:00',
      typeName: 'Báo cáo',
      subject: 'Tổng kết công tác năm 2025',
      toPlaces: '- Lưu: VT.',
      recipients: [],
      issuedAmount: 3,
    },
  ].map((d) => {
    const { id } = createDocument(db, 'outgoing', {
      ...OUR_AGENCY,
      codeNotation: d.typeName === 'Quyết định' ? 'QĐ-UBND' : 'UBND-VP',
      issuedPlace: 'Cao Bằng',
      typeName: d.typeName,
      subject: d.subject,
      signerPosition: 'Chủ tịch',
      signerFullName: 'Hoàng Xuân Ánh',
      toPlaces: d.toPlaces,
      issuedAmount: d.issuedAmount,
      recipients: d.recipients,
    });
    transition(db, id, 'signed_by_leader');
    assignOutgoingNumber(db, id, { now: at(d.when) });
    return id;
  });

  const incoming = [
    { when: '2026-01-12T10:00:00+07:00', organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ', codeNumber: '125', codeNotation: 'VPCP-KSTT', issuedDate: '2026-01-09', typeName: 'Công văn', subject: 'Về việc đẩy mạnh gửi, nhận văn bản điện tử' },
    { when: '2026-04-02T15:00:00+07:00', organId: '000.00.18.G12', organName: 'Bộ Nội vụ', codeNumber: '07', codeNotation: 'TT-BNV', issuedDate: '2026-03-28', typeName: 'Thông tư', subject: 'Hướng dẫn quản lý hồ sơ, tài liệu điện tử' },
    { when: '2026-12-01T09:00:00+07:00', organId: '000.00.15.H14', organName: 'Sở Tư pháp tỉnh Cao Bằng', codeNumber: '310', codeNotation: 'STP-VP', issuedDate: '2026-11-30', typeName: 'Tờ trình', subject: 'Đề nghị thẩm định dự thảo quy chế' },
  ].map((d) => {
    const { id } = createDocument(db, 'incoming', {
      organId: d.organId,
      organName: d.organName,
      codeNumber: d.codeNumber,
      codeNotation: d.codeNotation,
      issuedDate: d.issuedDate,
      typeName: d.typeName,
      subject: d.subject,
      recipients: [OUR_AGENCY],
    });
    registerIncoming(db, id, { organId: OUR_AGENCY.organId, now: at(d.when) });
    return id;
  });
  return { outgoing, incoming };
}
