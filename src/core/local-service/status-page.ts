// The page at https://127.0.0.1:8987/: whether this machine trusts the local CA, and how to fix it (Vietnamese, no script).
export type CaTrustState = 'trusted' | 'not-trusted' | 'unknown';

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function statusPage(options: { version: string; port: number; caFingerprint: string; trust: CaTrustState; caReplaced?: boolean }): string {
  const verdict = {
    trusted: '<p class="ok">Trình duyệt trên máy này đã tin cậy chứng thư của dịch vụ ký số vanthu.</p>',
    'not-trusted': '<p class="bad">Chứng thư gốc của dịch vụ ký số vanthu chưa được cài vào kho tin cậy của trình duyệt. Trang quản lý văn bản sẽ không kết nối được cho đến khi cài.</p>',
    unknown: '<p>Không kiểm tra được kho tin cậy của trình duyệt trên máy này.</p>',
  }[options.trust];
  // A CA from an older version (able to vouch for any site) was replaced: the browsers must be told to trust the new one.
  const replaced = options.caReplaced
    ? '<p class="bad">Chứng thư gốc cũ của dịch vụ đã được thay bằng chứng thư gốc mới, chỉ dùng được cho 127.0.0.1 và localhost. Hãy cài lại chứng thư gốc mới theo hướng dẫn dưới đây; có thể xóa chứng thư gốc cũ khỏi kho tin cậy.</p>\n'
    : '';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Dịch vụ ký số vanthu</title>
<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}.ok{color:#176b2c}.bad{color:#a31515}code{background:#eee;padding:0 .3em}</style></head>
<body>
<h1>Dịch vụ ký số vanthu đang chạy</h1>
<p>Phiên bản ${escape(options.version)}, cổng ${options.port}. Các trang quản lý văn bản điều hành gọi dịch vụ qua <code>wss://127.0.0.1:${options.port}</code>.</p>
${replaced}${verdict}
<p>Nếu bạn mở được trang này mà trình duyệt không cảnh báo, kết nối đã được tin cậy. Nếu trình duyệt cảnh báo, hãy cài chứng thư gốc:</p>
<ol>
<li>Trong vanthu: Cài đặt → Dịch vụ ký số cho trang web → “Cài chứng thư gốc vào trình duyệt”.</li>
<li>Hoặc tải <a href="/local-ca.pem">chứng thư gốc</a> rồi nhập vào trình duyệt (Cài đặt → Quyền riêng tư và bảo mật → Quản lý chứng chỉ → Tổ chức cấp), chọn tin cậy để xác định trang web.</li>
<li>Trên Linux (Chromium, Chrome, Firefox dùng kho NSS): <code>certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "vanthu Local Signing CA" -i local-ca.pem</code></li>
<li>Trên macOS (chuỗi khóa đăng nhập, hệ thống sẽ hỏi mật khẩu): <code>security add-trusted-cert -r trustRoot -p ssl -k ~/Library/Keychains/login.keychain-db local-ca.pem</code></li>
<li>Trên Windows (kho Root của người dùng hiện tại, Windows sẽ hỏi xác nhận): <code>certutil -user -addstore Root local-ca.pem</code></li>
</ol>
<p>Chứng thư gốc này chỉ xác nhận được cho 127.0.0.1, ::1 và localhost (ràng buộc tên bắt buộc), nên dù khóa của nó bị lộ cũng không thể dùng để giả mạo trang web khác.</p>
<p>Dấu vân tay SHA-256 của chứng thư gốc: <code>${escape(options.caFingerprint)}</code></p>
</body></html>
`;
}
