// Strings of "Dùng thử" (namespace "demo"): the offer on a machine without a token, the banner while the demo runs, leaving it.
const vi = {
  offerHeading: 'Dùng thử vanthu',
  offerText:
    'Máy này chưa có USB token. Bạn có thể dùng thử toàn bộ công việc trong ngày: soạn, ký, cấp số, đóng dấu, gửi, nhận và tiếp nhận văn bản. vanthu sẽ tạo hai token thử (lãnh đạo và đơn vị), chứng thư số thử và một máy chủ trao đổi thử chạy ngay trên máy này, với một cơ quan thử tự động trả lời.',
  offerSafe: 'Bản dùng thử không đụng đến USB token thật, dữ liệu thật hay máy chủ thật của bạn, và có thể xóa hết bằng một nút.',
  offerButton: 'Dùng thử',
  starting: 'Đang tạo token, chứng thư số và máy chủ thử… (có thể mất khoảng nửa phút)',
  bannerLabel: 'Bản dùng thử',
  banner: 'Đang dùng thử: token, chứng thư và máy chủ đều là bản thử, không có giá trị pháp lý',
  pins: 'Mã PIN thử: token lãnh đạo “{{leaderToken}}” ({{leaderName}}) là {{leaderPin}}; token đơn vị “{{agencyToken}}” ({{agencyName}}) là {{agencyPin}}. Cơ quan thử “{{robotName}}” tự động trả lời văn bản bạn gửi.',
  leave: 'Thoát bản dùng thử',
  leaveConfirm: 'Xóa toàn bộ dữ liệu dùng thử và quay về cài đặt thật?',
  leaveYes: 'Xóa và thoát',
  leaveNo: 'Ở lại',
  leaving: 'Đang thoát bản dùng thử…',
};

const en: typeof vi = {
  offerHeading: 'Try vanthu',
  offerText:
    'This computer has no USB token yet. You can try the whole working day: compose, sign, number, seal, send, receive and accept documents. vanthu will make two demo tokens (a leader and an agency), demo certificates and a demo exchange server on this computer, with a demo agency that answers by itself.',
  offerSafe: 'The demo does not touch your real USB tokens, data or server, and one button removes all of it.',
  offerButton: 'Try it',
  starting: 'Making the demo tokens, certificates and server… (it may take half a minute)',
  bannerLabel: 'Demo',
  banner: 'Demo mode: the tokens, certificates and server are demo ones, with no legal value',
  pins: 'Demo PINs: the leader token “{{leaderToken}}” ({{leaderName}}) is {{leaderPin}}; the agency token “{{agencyToken}}” ({{agencyName}}) is {{agencyPin}}. The demo agency “{{robotName}}” answers what you send by itself.',
  leave: 'Leave the demo',
  leaveConfirm: 'Remove all demo data and go back to the real setup?',
  leaveYes: 'Remove and leave',
  leaveNo: 'Stay',
  leaving: 'Leaving the demo…',
};

export const demoMessages = { vi, en };
