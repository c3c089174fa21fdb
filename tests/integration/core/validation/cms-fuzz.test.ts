// Mutated signature data (the CMS in /Contents: certificates, signed attributes, signature value, timestamp) never makes validatePdf throw, and a mutated signed part is never valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignedData } from '../../../../src/core/cms/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { checkByteRange } from '../../../../src/core/validation/byte-range.js';
import { trimPadding } from '../../../../src/core/validation/cms-check.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
// A hundred in the suite (each loads the PDF); VANTHU_CMS_FUZZ=5000 for a long run.
const MUTATIONS = Number(process.env.VANTHU_CMS_FUZZ ?? 100);
let trust: TrustStore;
let tsa: FakeTsa;
let signed: Uint8Array;
/** Where the CMS sits in the file (hex digits of /Contents), and where its signed attributes and signature value are. */
let cms: { start: number; length: number; signedParts: [number, number][] };

/** Deterministic, so a failure can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  const leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  signed = (await signPdf(fixture('classic-xref.pdf'), leader, { level: 'B-T', tsaUrl: tsa.url })).bytes;
  const text = Buffer.from(signed).toString('latin1');
  const start = text.lastIndexOf('/Contents <') + '/Contents <'.length;
  const der = trimPadding(checkByteRange(signed, [...readByteRange(text)]).contents);
  const signerInfo = readSignedData(der).signerInfos[0]!;
  // Offsets inside the DER, doubled for hex digits.
  const offsetOf = (part: Uint8Array) => part.byteOffset - der.byteOffset;
  const parts: Uint8Array[] = [signerInfo.signedAttrs!.bytes, signerInfo.signature];
  cms = { start, length: der.length * 2, signedParts: parts.map((p) => [start + offsetOf(p) * 2, start + (offsetOf(p) + p.length) * 2]) };
}, 60_000);
afterAll(async () => {
  await tsa?.close();
  await logoutAll();
  await finalizeAllModules();
});

function readByteRange(text: string): number[] {
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(text.lastIndexOf('/ByteRange')));
  return match!.slice(1).map(Number);
}

describe('mutated signature data', () => {
  it('is reported, never thrown; a mutated signed attribute or signature value is never valid', async () => {
    expect((await validatePdf(signed, { trust, online: false })).signatures[0]?.integrity.signatureValid).toBe(true);
    const next = random(12);
    const escaped: string[] = [];
    const accepted: string[] = [];
    let signedHits = 0;
    const HEX = '0123456789abcdef';
    for (let i = 0; i < MUTATIONS; i++) {
      const bytes = Uint8Array.from(signed);
      const at = cms.start + Math.floor(next() * cms.length);
      const old = bytes[at]!;
      let digit = HEX[Math.floor(next() * 16)]!.charCodeAt(0);
      if (digit === old || digit === String.fromCharCode(old).toLowerCase().charCodeAt(0)) digit = old === 0x30 ? 0x31 : 0x30;
      bytes[at] = digit;
      try {
        const report = await validatePdf(bytes, { trust, online: false });
        const inSigned = cms.signedParts.some(([from, to]) => at >= from && at < to);
        if (inSigned) signedHits++;
        if (inSigned && report.signatures[0]?.integrity.signatureValid) accepted.push(`offset ${at}`);
      } catch (error) {
        escaped.push(`offset ${at}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(escaped).toEqual([]);
    expect(accepted).toEqual([]);
    // The run did reach the signed parts, so the second check means something.
    expect(signedHits).toBeGreaterThan(0);
  }, Math.max(120_000, MUTATIONS * 400));
});
