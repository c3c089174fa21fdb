// The exchange server's file check on a PDF whose signature carries a certificate OpenSSL cannot read: reasons for the sender, never an exception (a 500 once).
import { beforeAll, describe, expect, it } from 'vitest';
import { readChildren, readWhole } from '../../../src/core/cms/der.js';
import { OID } from '../../../src/core/cms/oids.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { checkPdf } from '../../../src/server/messages/pdf-checks.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { algorithm, issueSoftKey, signPdfWith, softCms } from '../../kit/soft-cms.js';

const pki = usePki();
let trust: TrustStore;
let damaged: Uint8Array;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  const key = issueSoftKey(pki, 'Vũ Văn Giang', { rsa: 2048 });
  const unreadable = Uint8Array.from(key.certificate);
  const [tbs] = readChildren(readWhole(unreadable));
  unreadable[tbs!.bytes.byteOffset - unreadable.byteOffset + tbs!.bytes.length] = 0x31;
  damaged = await signPdfWith(fixture('classic-xref.pdf'), (s) =>
    softCms(s, { key, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [unreadable, ...key.chain] }),
  );
}, 60_000);

describe('server file check on damaged signature data', () => {
  it('refuses the file with reasons, in both languages, without throwing', async () => {
    const { refusals: reasons, waiting } = await checkPdf(
      { name: 'cong-van.pdf', sha256: 'ab', bytes: damaged },
      { trust, online: false, now: new Date(), sender: 'UBND tỉnh Cao Bằng', isSenderSeal: () => Promise.resolve(false) },
    );
    expect(waiting).toEqual([]);
    const codes = reasons.map((r) => r.code);
    expect(codes).toContain('SERVER_PDF_NOT_VALID');
    expect(codes).toContain('CERTIFICATE_UNREADABLE');
    expect(reasons.find((r) => r.code === 'CERTIFICATE_UNREADABLE')?.messageVi).toBe('#1: Chứng thư số của người ký bị hỏng, không đọc được.');
  });
});
