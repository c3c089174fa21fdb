// The server keeps the intermediates it fetched from a certificate's AIA in its database (SQLite and PostgreSQL): the first verification fetches the sub-CA, another server process on the same database verifies with the AIA server stopped, inline and in the worker threads.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../../src/core/cms/oids.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { ephemeralReceiptKey, openServerDatabase, resolveConfig, type ServerDatabase } from '../../../src/server/index.js';
import type { VerificationSettings } from '../../../src/server/messages/verifier.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { algorithm, issueSoftKey, signPdfWith, softCms } from '../../kit/soft-cms.js';
import { DIALECTS, ORIGIN, freshDatabaseUrl, sha256 } from './kit.js';

const pki = usePki();
let rootOnly: TrustStore;

/** A loopback CA Issuers server for the test sub-CA, counting what it served, that the test can stop. */
async function startAiaServer(): Promise<{ url: string; served: () => number; stop: () => Promise<void> }> {
  const subCa = readFileSync(pki.subCaDer);
  let served = 0;
  const server: Server = createServer((_request, response) => {
    served++;
    response.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(subCa);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/subca.cer`,
    served: () => served,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A PDF signed by a key whose signature carries only its own certificate: the sub-CA must come from the AIA. */
async function signedWithoutIntermediate(caIssuersUrl: string): Promise<Uint8Array> {
  const key = issueSoftKey(pki, 'Nông Văn Dũng', { rsa: 2048 }, 'sha256', undefined, caIssuersUrl);
  return signPdfWith(fixture('classic-xref.pdf'), (signed) =>
    softCms(signed, { key, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' }, certificates: [key.certificate] }),
  );
}

/** One server process's verification on `database`, as submissions use it (no verdict cache: every call verifies). */
async function verifyAsServer(database: ServerDatabase, bytes: Uint8Array, verification: VerificationSettings): Promise<{ verdict: string; trusted: boolean | undefined }> {
  const config = resolveConfig({ database, trust: rootOnly, origin: ORIGIN, receiptKey: ephemeralReceiptKey(), revocation: { online: true, requireKnown: true, timeoutMs: 5000 }, verification: { ...verification, cacheEntries: 0 } });
  try {
    const report = await config.verifier.verify({ bytes, sha256: sha256(bytes), online: true, now: new Date(), revocationTimeoutMs: 5000 });
    return { verdict: report.verdict, trusted: report.signatures[0]?.chain.trusted };
  } finally {
    await config.verifier.close();
  }
}

beforeAll(async () => {
  rootOnly = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
});

const MODES: [string, VerificationSettings][] = [
  ['inline', { threads: 0 }],
  ['worker threads', { threads: 1 }],
];

describe.each(DIALECTS)('server CA certificate cache (%s)', (dialect) => {
  it.each(MODES)('fetches the intermediate once; another process on the same database verifies with the AIA server stopped (%s)', async (_mode, verification) => {
    const aia = await startAiaServer();
    let aiaRunning = true;
    const { url, drop } = await freshDatabaseUrl(dialect);
    const first = await openServerDatabase(url);
    let second: ServerDatabase | undefined;
    let elsewhere: { url: string; drop: () => Promise<void> } | undefined;
    try {
      const bytes = await signedWithoutIntermediate(aia.url);
      expect(await verifyAsServer(first, bytes, verification)).toEqual({ verdict: 'valid', trusted: true });
      expect(aia.served()).toBe(1);
      const rows = await first.db.selectFrom('ca_certificates').select(['source_url', 'sha256', 'der', 'fetched_at']).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.source_url).toBe(aia.url);
      expect(rows[0]!.sha256).toBe(sha256(readFileSync(pki.subCaDer)));
      expect(Buffer.from(rows[0]!.der).equals(readFileSync(pki.subCaDer))).toBe(true);
      expect(Number.isNaN(Date.parse(rows[0]!.fetched_at))).toBe(false);

      await aia.stop();
      aiaRunning = false;
      // Another server process: its own connection to the same database, its own verifier.
      second = await openServerDatabase(url);
      expect(await verifyAsServer(second, bytes, verification)).toEqual({ verdict: 'valid', trusted: true });
      expect(aia.served()).toBe(1);

      // A server on another database, with the AIA server stopped, cannot build the chain: the kept row is what made the difference.
      elsewhere = await freshDatabaseUrl(dialect);
      const empty = await openServerDatabase(elsewhere.url);
      try {
        const alone = await verifyAsServer(empty, bytes, verification);
        expect(alone.trusted).toBe(false);
        expect(alone.verdict).not.toBe('valid');
      } finally {
        await empty.close();
      }
    } finally {
      if (aiaRunning) await aia.stop();
      await first.close();
      await second?.close();
      await drop();
      await elsewhere?.drop();
    }
  });
});
