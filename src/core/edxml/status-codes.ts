// The axis's status codes (DOMAIN.md) with Vietnamese and English labels; codes it does not name are shown by number.
export const STATUS_LABELS: Readonly<Record<string, { vi: string; en: string }>> = {
  '01': { vi: 'Đã đến', en: 'Arrived' },
  '02': { vi: 'Từ chối tiếp nhận', en: 'Rejected' },
  '03': { vi: 'Đã tiếp nhận (vào sổ)', en: 'Accepted (registered)' },
  '04': { vi: 'Phân công xử lý', en: 'Assigned' },
  '05': { vi: 'Đang xử lý', en: 'Processing' },
  '06': { vi: 'Hoàn thành', en: 'Done' },
  '13': { vi: 'Yêu cầu lấy lại', en: 'Recall requested' },
  '15': { vi: 'Đồng ý (lấy lại, cập nhật, thay thế)', en: 'Agreed (recall, update, replacement)' },
  '16': { vi: 'Từ chối (lấy lại, cập nhật, thay thế)', en: 'Refused (recall, update, replacement)' },
};

export const statusLabel = (code: string): { vi: string; en: string } => STATUS_LABELS[code] ?? { vi: `Mã trạng thái ${code}`, en: `Status code ${code}` };
