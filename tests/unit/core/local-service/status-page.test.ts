// The status page at https://127.0.0.1:8987/: the verdict, what each OS does, and the notice when the CA was replaced.
import { describe, expect, it } from 'vitest';
import { statusPage } from '../../../../src/core/local-service/status-page.js';

const base = { version: '1.0', port: 8987, caFingerprint: 'AB:CD', trust: 'not-trusted' as const };

describe('statusPage', () => {
  it('says how Linux, macOS and Windows trust the CA', () => {
    const page = statusPage(base);
    expect(page).toContain('certutil -d sql:$HOME/.pki/nssdb -A -t C,,');
    expect(page).toContain('security add-trusted-cert -r trustRoot -p ssl -k ~/Library/Keychains/login.keychain-db local-ca.pem');
    expect(page).toContain('certutil -user -addstore Root local-ca.pem');
    expect(page).toContain('chỉ xác nhận được cho 127.0.0.1, ::1 và localhost');
  });

  it('asks to trust the new CA again only when an old one was replaced', () => {
    expect(statusPage(base)).not.toContain('Chứng thư gốc cũ của dịch vụ đã được thay');
    expect(statusPage({ ...base, caReplaced: true })).toContain('Chứng thư gốc cũ của dịch vụ đã được thay bằng chứng thư gốc mới');
  });
});
