// A check stopped by the checker's own error (not by the file's bytes) says nothing against the signature: indeterminate, held for a clerk, never invalid and returned.
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../../../src/core/cms/oids.js';
import { decideIncoming } from '../../../../src/core/exchange/verdict-policy.js';
import { trustStoreFrom, type CaIssuerCache, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { algorithm, issueSoftKey, signPdfWith, softCms, type SoftKey } from '../../../kit/soft-cms.js';

const pki = usePki();
let rootOnly: TrustStore;
let soft: SoftKey;
/** Signed by a key whose intermediate is not in the file: the checker asks its CA-issuer cache for it. */
let missingIntermediate: Uint8Array;

beforeAll(async () => {
  rootOnly = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  soft = issueSoftKey(pki, 'Lê Văn Tám', { rsa: 2048 });
  missingIntermediate = await signPdfWith(fixture('classic-xref.pdf'), (s) =>
    softCms(s, { key: soft, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [soft.certificate] }),
  );
});

describe("the checker's own error", () => {
  it('makes the signature indeterminate ("checked again"), not invalid: the document is held, not returned', async () => {
    // A cache that throws breaks its own contract (caches never throw): it stands for any bug of ours met mid-check.
    const broken: CaIssuerCache = {
      get: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'der')")),
      put: () => Promise.resolve(),
    };
    const report = await validatePdf(missingIntermediate, { trust: rootOnly, online: false, aiaCache: broken });
    expect(report.verdict).toBe('indeterminate');
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', verdict: 'indeterminate' });
    expect(report.signatures[0]!.findings.map((f) => f.code)).toEqual(['SIGNATURE_CHECK_UNFINISHED']);
    expect(report.signatures[0]!.findings[0]!.messageVi).toBe('Chưa kiểm tra xong chữ ký này do trục trặc của phần mềm kiểm tra (không phải do tệp); sẽ kiểm tra lại.');
    expect(decideIncoming('cong-van.pdf', report).action).toBe('hold');
    // The same file with a cache that keeps its word: the check ends, without the intermediate (offline).
    const honest: CaIssuerCache = { get: () => Promise.resolve(undefined), put: () => Promise.resolve() };
    const finished = await validatePdf(missingIntermediate, { trust: rootOnly, online: false, aiaCache: honest });
    expect(finished.signatures[0]?.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});
