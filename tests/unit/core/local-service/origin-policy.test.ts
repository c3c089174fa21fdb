import { describe, expect, it } from 'vitest';
import { OriginPolicy, normalOrigin, type OriginDecision } from '../../../../src/core/local-service/index.js';
import { ServiceFailure } from '../../../../src/core/local-service/protocol.js';

const refusal = (promise: Promise<unknown>): Promise<ServiceFailure> => promise.then(() => Promise.reject(new Error('admitted')), (e: unknown) => e as ServiceFailure);

describe('OriginPolicy', () => {
  it('normalises origins and admits only the allowed ones when nobody can be asked', async () => {
    expect(normalOrigin('HTTPS://QLVB.Example.gov.vn:443/x?y')).toBe('https://qlvb.example.gov.vn');
    expect(normalOrigin('file:///etc/passwd')).toBeUndefined();
    expect(normalOrigin('null')).toBeUndefined();
    const policy = new OriginPolicy({ allowed: ['https://qlvb.example.gov.vn/'] });
    expect(await policy.admit('https://qlvb.example.gov.vn')).toBe('https://qlvb.example.gov.vn');
    const other = await refusal(policy.admit('https://qlvb.example.gov.vn.evil.com'));
    expect(other).toMatchObject({ status: 2, code: 'ORIGIN_REFUSED' });
    expect(other.messageVi).toBe('Trang https://qlvb.example.gov.vn.evil.com chưa được phép dùng chữ ký số trên máy này.');
    expect(await refusal(policy.admit(undefined))).toMatchObject({ status: 2, code: 'ORIGIN_MISSING' });
  });

  it('asks once per origin at a time, remembers always and never, and asks again after once', async () => {
    const answers: OriginDecision[] = ['once', 'always'];
    const asked: string[] = [];
    const remembered: [string, string][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const policy = new OriginPolicy({
      ask: async (origin) => {
        asked.push(origin);
        await gate;
        return answers.shift() ?? 'never';
      },
      remember: (origin, decision) => remembered.push([origin, decision]),
    });
    // Two sockets of one page at once: one question.
    const both = Promise.all([policy.admit('https://a.gov.vn'), policy.admit('https://a.gov.vn')]);
    release();
    expect(await both).toEqual(['https://a.gov.vn', 'https://a.gov.vn']);
    expect(asked).toHaveLength(1);
    await policy.admit('https://a.gov.vn');
    expect(asked).toHaveLength(2);
    await policy.admit('https://a.gov.vn');
    expect(asked).toHaveLength(2);
    expect(await refusal(policy.admit('https://b.gov.vn'))).toMatchObject({ code: 'ORIGIN_REFUSED' });
    expect(await refusal(policy.admit('https://b.gov.vn'))).toMatchObject({ code: 'ORIGIN_REFUSED' });
    expect(asked).toEqual(['https://a.gov.vn', 'https://a.gov.vn', 'https://b.gov.vn']);
    expect(remembered).toEqual([
      ['https://a.gov.vn', 'always'],
      ['https://b.gov.vn', 'never'],
    ]);
  });

  it('lets pages name URLs on their own origin or an allowed one only', () => {
    const policy = new OriginPolicy({ allowedUrlOrigins: ['https://files.example.gov.vn'] });
    expect(policy.checkUrl('https://qlvb.example.gov.vn', '/api/file?id=1', 'download').href).toBe('https://qlvb.example.gov.vn/api/file?id=1');
    expect(policy.checkUrl('https://qlvb.example.gov.vn', 'https://files.example.gov.vn/up', 'upload').origin).toBe('https://files.example.gov.vn');
    for (const url of ['http://qlvb.example.gov.vn/x', 'https://qlvb.example.gov.vn:8443/x', 'http://127.0.0.1:8080/admin', 'file:///etc/passwd']) {
      expect(() => policy.checkUrl('https://qlvb.example.gov.vn', url, 'download'), url).toThrow(ServiceFailure);
    }
    try {
      policy.checkUrl('https://qlvb.example.gov.vn', 'https://evil.com/up', 'upload');
    } catch (error) {
      expect(error).toMatchObject({ status: 3, code: 'URL_REFUSED' });
      expect((error as ServiceFailure).messageVi).toBe('Trang https://qlvb.example.gov.vn yêu cầu gửi tệp đã ký đến https://evil.com, là địa chỉ ngoài trang này, nên bị từ chối.');
    }
  });
});
