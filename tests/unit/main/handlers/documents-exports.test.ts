// Printed and exported files saved into <dataDir>/exports/: never over an earlier one, never outside the folder, the bytes returned as saved.
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveExport } from '../../../../src/main/handlers/documents/exports.js';

describe('saving an export', () => {
  it('writes into exports/, numbers a name already taken, and returns the same bytes', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-exports-'));
    const first = saveExport(dataDir, 'so-van-ban-di-2026.pdf', new Uint8Array([1, 2, 3]));
    const second = saveExport(dataDir, 'so-van-ban-di-2026.pdf', new Uint8Array([4, 5]));
    expect(first.savedPath).toBe(path.join(dataDir, 'exports', 'so-van-ban-di-2026.pdf'));
    expect(second.fileName).toBe('so-van-ban-di-2026 (2).pdf');
    expect([...readFileSync(first.savedPath)]).toEqual([1, 2, 3]);
    expect([...Buffer.from(second.contentBase64, 'base64')]).toEqual([4, 5]);
    // Owner-only, like the rest of the data folder, and no temporary file left.
    expect(statSync(second.savedPath).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dataDir, 'exports')).sort()).toEqual(['so-van-ban-di-2026 (2).pdf', 'so-van-ban-di-2026.pdf']);
  });

  it('keeps a name from a picked file inside exports/ (no folders, no dot-files), accents kept', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-exports-'));
    const saved = saveExport(dataDir, '../../bao-cáo:kiểm*tra?.pdf', new Uint8Array([1]));
    expect(path.dirname(saved.savedPath)).toBe(path.join(dataDir, 'exports'));
    expect(saved.fileName).toBe('__.._bao-cáo_kiểm_tra_.pdf');
    expect(saveExport(dataDir, '.hidden.pdf', new Uint8Array([1])).fileName).toBe('_hidden.pdf');
  });
});
