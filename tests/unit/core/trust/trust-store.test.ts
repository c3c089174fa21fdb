import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChain, trustStoreFrom } from '../../../../src/core/trust/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const root = new Uint8Array(readFileSync(pki.rootDer));
const subCa = new Uint8Array(readFileSync(pki.subCaDer));
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-trust-store-'));

describe('trustStoreFrom', () => {
  it('reads every certificate of a PEM bundle and a DER file, keeping each root once', async () => {
    const store = await trustStoreFrom({ pemOrDerFiles: [pki.chainPem, pki.rootDer], roots: [root] });
    expect(store.roots).toEqual([subCa, root]);
  });

  it('skips other PEM blocks in a bundle', async () => {
    const file = path.join(dir, 'mixed.pem');
    writeFileSync(file, `${readFileSync(pki.crlPem, 'utf8')}\n${readFileSync(pki.rootPem, 'utf8')}`);
    expect((await trustStoreFrom({ pemOrDerFiles: [file] })).roots).toEqual([root]);
  });

  it('loads *.pem, *.cer and *.crt from the bundled directory', async () => {
    const bundled = mkdtempSync(path.join(tmpdir(), 'vanthu-bundled-'));
    copyFileSync(pki.rootPem, path.join(bundled, 'root.pem'));
    copyFileSync(pki.subCaDer, path.join(bundled, 'subca.cer'));
    writeFileSync(path.join(bundled, 'README.md'), 'not a certificate');
    const store = await trustStoreFrom({ includeBundled: true, bundledDir: bundled });
    expect(store.roots).toEqual([root, subCa]);
    expect((await trustStoreFrom({ includeBundled: false, bundledDir: bundled })).roots).toEqual([]);
  });

  it('rejects a file that holds no certificate, naming it', async () => {
    const file = path.join(dir, 'junk.pem');
    writeFileSync(file, 'hello');
    const error: unknown = await trustStoreFrom({ pemOrDerFiles: [file] }).catch((e: unknown) => e);
    expect(isVanthuError(error, 'TRUST_ROOT_FILE_INVALID')).toBe(true);
    expect((error as Error).message).toContain(file);
    const missing: unknown = await trustStoreFrom({ pemOrDerFiles: [path.join(dir, 'missing.pem')] }).catch((e: unknown) => e);
    expect(isVanthuError(missing, 'TRUST_ROOT_FILE_INVALID')).toBe(true);
  });

  it('gives a store buildChain trusts', async () => {
    const store = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
    const leader = new Uint8Array(readFileSync(pki.tokens[0]!.objects[0]!.certDer));
    expect(buildChain(leader, [subCa], store, new Date()).trusted).toBe(true);
  });
});
