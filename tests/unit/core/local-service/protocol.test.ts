import { describe, expect, it } from 'vitest';
import { metaValue, parseRequest, ServiceFailure } from '../../../../src/core/local-service/protocol.js';
import { credentialHeaders } from '../../../../src/core/local-service/transfer.js';

describe('the VGCA request shape', () => {
  it('reads JSON requests and the bare words of GetCertInfo and Config', () => {
    expect(parseRequest('get_cert_info')).toEqual({});
    expect(parseRequest(' config ')).toEqual({});
    const request = parseRequest(JSON.stringify({ FileName: 'https://a/x.pdf', DocNumber: '123/BCY-CTSBMTT', MetaData: [{ Key: 'CopyType', Value: 'SAO LỤC' }] }));
    expect(request.DocNumber).toBe('123/BCY-CTSBMTT');
    expect(metaValue(request, 'copytype')).toBe('SAO LỤC');
    expect(metaValue(request, 'Other')).toBeUndefined();
  });

  it('refuses bodies that are not a flat JSON object, with a Vietnamese message', () => {
    for (const body of ['{broken', '[1,2]', '{"FileName":{"x":1}}', '{"Files":"a.pdf"}']) {
      const error = (() => {
        try {
          parseRequest(body);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, body).toBeInstanceOf(ServiceFailure);
      expect((error as ServiceFailure).status, body).toBe(7);
      expect((error as ServiceFailure).messageVi, body).toMatch(/^(Yêu cầu|Trường)/);
    }
  });

  it('sends the page session as its cookie and the JWT as a bearer token', () => {
    expect(credentialHeaders({ SessionId: 'abc' })).toEqual({ cookie: 'ASP.NET_SessionId=abc' });
    expect(credentialHeaders({ SessionId: 'JSESSIONID=xyz; lang=vi' })).toEqual({ cookie: 'JSESSIONID=xyz; lang=vi' });
    expect(credentialHeaders({ JWTToken: 'eyJ.x.y' })).toEqual({ authorization: 'Bearer eyJ.x.y' });
    expect(credentialHeaders({ JWTToken: 'Bearer eyJ.x.y', SessionId: ' ' })).toEqual({ authorization: 'Bearer eyJ.x.y' });
  });
});
