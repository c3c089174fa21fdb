// Intermediates from the bundle and the AIA: fetched once from the test PKI's CA Issuers address on loopback, cached on disk, then used with no network; and embedded by the signer.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../../../src/core/cms/oids.js';
import { TokenKeySource } from '../../../../src/core/outbox/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { buildChain, chainToEmbed, completeChainOnline, trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { algorithm, issueSoftKey, signPdfWith, softCms, type SoftKey } from '../../../kit/soft-cms.js';

const pki = usePki();
let rootOnly: TrustStore;
let soft: SoftKey;
const subCa = (): Uint8Array => new Uint8Array(readFileSync(pki.subCaDer));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A fetch that counts its calls and fails: proof that nothing went to the network. */
function noNetwork(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: ((input: string | URL | Request) => {
      calls.push(String(input));
      return Promise.reject(new Error('network used'));
    }) as typeof fetch,
  };
}

beforeAll(async () => {
  rootOnly = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  soft = issueSoftKey(pki, 'Đỗ Thị Hoa', { rsa: 2048 });
});
afterAll(async () => {
  await finalizeAllModules();
});

describe('intermediates from the AIA, fetched once and cached on disk', () => {
  it('fetches the sub-CA from the CA Issuers address, and a second run needs no network', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'vanthu-aia-'));
    const first = await completeChainOnline(soft.certificate, [], rootOnly, { cacheDir });
    expect(first.some((der) => same(der, subCa()))).toBe(true);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const offline = noNetwork();
    const second = await completeChainOnline(soft.certificate, [], rootOnly, { cacheDir, fetch: offline.fetch });
    expect(offline.calls).toEqual([]);
    expect(buildChain(soft.certificate, second, rootOnly, new Date()).trusted).toBe(true);
    // Without the cache the same run would have needed the network.
    const uncached = noNetwork();
    await completeChainOnline(soft.certificate, [], rootOnly, { fetch: uncached.fetch });
    expect(uncached.calls).toHaveLength(1);
  });

  it('validates a signature that lacks its intermediate: online once, then offline from the cache', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'vanthu-aia-'));
    const signed = await signPdfWith(fixture('classic-xref.pdf'), (s) =>
      softCms(s, { key: soft, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [soft.certificate] }),
    );
    expect((await validatePdf(signed, { trust: rootOnly, online: false })).signatures[0]?.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const online = await validatePdf(signed, { trust: rootOnly, online: true, aiaCacheDir: cacheDir });
    expect(online.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', chain: { trusted: true } });
    const offline = await validatePdf(signed, { trust: rootOnly, online: false, aiaCacheDir: cacheDir });
    expect(offline.signatures[0]?.chain.trusted).toBe(true);
  });
});

describe('the signer embeds the chain it knows', () => {
  it('takes a missing intermediate from the bundle without the network, and leaves the root out', async () => {
    const bundled: TrustStore = { ...rootOnly, intermediates: [subCa()] };
    const offline = noNetwork();
    const chain = await chainToEmbed(soft.certificate, [], bundled, { online: false, fetch: offline.fetch });
    expect(chain).toHaveLength(1);
    expect(same(chain[0]!, subCa())).toBe(true);
    expect(offline.calls).toEqual([]);
  });

  it("puts the sub-CA in the user's own freshly signed document, so it validates elsewhere without it (token key source of the app)", async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'vanthu-aia-'));
    const keys = new TokenKeySource({ trust: rootOnly, online: true, aiaCacheDir: cacheDir });
    const choice = { module: pki.module, label: 'VANTHU LEADER' };
    await keys.login(choice, pki.userPin);
    try {
      const { key } = await keys.key(choice);
      expect(key.chain.some((der) => same(der, subCa()))).toBe(true);
      const signed = await signPdf(fixture('classic-xref.pdf'), key, {});
      // A validator with only the root and no network still builds the chain from the signature itself.
      const report = await validatePdf(signed.bytes, { trust: rootOnly, online: false });
      expect(report.signatures[0]?.chain).toMatchObject({ trusted: true });
      expect(report.signatures[0]?.subIndication).toBe('TRY_LATER');
    } finally {
      await keys.logout(choice);
    }
  });
});
