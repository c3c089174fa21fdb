// Fuzzes validatePdf with mutated signed files (flipped, inserted, deleted bytes, truncation, spliced revisions): nothing may throw, and no signature whose signed bytes changed may come out valid.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { concat, raw, tokenKey } from './attack-kit.js';
import { signVisible } from './shape-kit.js';

/** Cases in the suite; `npm run fuzz:verify` runs thousands. VERIFY_FUZZ_SEED replays another series. */
const COUNT = Number(process.env.VERIFY_FUZZ_COUNT ?? 300);
const SEED = Number(process.env.VERIFY_FUZZ_SEED ?? 20261207);

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let tsa: FakeTsa;
let bases: Uint8Array[] = [];

/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The bytes a /ByteRange signs in a file, or undefined when the ranges do not fit it. */
function signedBytes(file: Uint8Array, range: number[]): Uint8Array | undefined {
  const [a, b, c, d] = range;
  if (range.length !== 4 || [a, b, c, d].some((n) => n === undefined || !Number.isSafeInteger(n) || n < 0) || c! + d! > file.length || a! + b! > file.length) return undefined;
  return concat(file.subarray(a!, a! + b!), file.subarray(c!, c! + d!));
}

/** Where mutations land: anywhere, or in the structure near the end (xref tables, trailers, the last signature). */
const TOKENS = ['<<', '>>', 'endobj', '0 0 obj', 'xref\n0 1\n', 'trailer', '/Prev 0', 'startxref\n9\n%%EOF\n', '(', ')', '[', 'stream\n', 'endstream', '%%EOF\n', '9999999999 R'];

interface Mutation {
  file: Uint8Array;
  what: string;
}

function mutate(base: Uint8Array, other: Uint8Array, next: () => number): Mutation {
  const int = (n: number): number => Math.floor(next() * n);
  const at = next() < 0.5 ? int(base.length) : Math.max(0, base.length - 1 - int(Math.min(base.length, 4096)));
  switch (int(7)) {
    case 0: {
      const out = Uint8Array.from(base);
      out[at] = out[at]! ^ (1 + int(255));
      return { file: out, what: `flip byte ${at}` };
    }
    case 1: {
      const insert = next() < 0.5 ? raw(TOKENS[int(TOKENS.length)]!) : Uint8Array.from({ length: 1 + int(16) }, () => int(256));
      return { file: concat(base.subarray(0, at), insert, base.subarray(at)), what: `insert ${insert.length} bytes at ${at}` };
    }
    case 2: {
      const length = 1 + int(32);
      return { file: concat(base.subarray(0, at), base.subarray(at + length)), what: `delete ${length} bytes at ${at}` };
    }
    case 3:
      return { file: base.subarray(0, at), what: `truncate at ${at}` };
    case 4: {
      const from = int(other.length);
      return { file: concat(base.subarray(0, at), other.subarray(from)), what: `splice another file from ${from} at ${at}` };
    }
    case 5: {
      // Digits are what offsets, lengths and byte ranges are made of.
      const out = Uint8Array.from(base);
      for (let k = 0, p = at; k < 64 && p < out.length; k++, p++) {
        if (out[p]! >= 0x30 && out[p]! <= 0x39) {
          out[p] = 0x30 + ((out[p]! - 0x30 + 1 + int(9)) % 10);
          return { file: out, what: `digit changed at ${p}` };
        }
      }
      return { file: out, what: 'no digit near' };
    }
    default:
      return { file: concat(base, base.subarray(at)), what: `tail from ${at} appended again` };
  }
}

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  const leader: PdfSigningKey = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  const agency: PdfSigningKey = await tokenKey(pki, 'VANTHU AGENCY', 'agency-rsa', sessions);
  const twoSignatures = (await signPdf(await signVisible(fixture('classic-xref.pdf'), leader), agency, { widget: { page: 1, rect: [330, 95, 70, 70], image: discPng(70, [210, 20, 20]) } })).bytes;
  const longTerm = (await signPdf(fixture('object-streams.pdf'), agency, { level: 'B-LTA', tsaUrl: tsa.url, trust })).bytes;
  bases = [twoSignatures, longTerm];
}, 60_000);
afterAll(async () => {
  await tsa?.close();
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

describe('verify fuzz', () => {
  it(`${COUNT} mutated signed files (seed ${SEED}): no exception escapes, no mutated signed bytes called anything but invalid`, async () => {
    // What the genuine signatures sign: a valid signature in a mutated file must sign exactly one of these.
    const genuine = new Set<string>();
    let count = 0;
    for (const base of bases) {
      const report = await validatePdf(base, { trust, online: false });
      // Offline, the B-B signatures cannot have their revocation checked: indeterminate, never invalid.
      expect(report.signatures.map((s) => s.verdict)).not.toContain('invalid');
      for (const signature of report.signatures) genuine.add(sha(signedBytes(base, signature.coverage.byteRange)!));
      count += report.signatures.length;
    }
    expect(genuine.size).toBe(count);
    const next = random(SEED);
    const failures: string[] = [];
    let valid = 0;
    for (let i = 0; i < COUNT; i++) {
      const which = Math.floor(next() * bases.length);
      const { file, what } = mutate(bases[which]!, bases[1 - which]!, next);
      let report;
      try {
        report = await validatePdf(file, { trust, online: false });
      } catch (error) {
        failures.push(`case ${i} (${what}): threw ${error instanceof Error ? error.stack : String(error)}`);
        continue;
      }
      for (const signature of report.signatures) {
        // Offline, 'indeterminate' is as good as it gets for B-B: anything not invalid must sign genuine bytes.
        if (signature.verdict === 'invalid') continue;
        valid++;
        const bytes = signedBytes(file, signature.coverage.byteRange);
        if (!bytes || !genuine.has(sha(bytes))) failures.push(`case ${i} (${what}): signature ${signature.index} ${signature.verdict} over bytes no genuine signature signed`);
      }
    }
    expect(failures).toEqual([]);
    // Mutations after a signature's revision leave it valid: the run must have seen some.
    expect(valid).toBeGreaterThan(0);
  }, 600_000);
});
