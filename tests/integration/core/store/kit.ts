// Helpers for the store tests: temp data folders removed after each test, sample metadata, child processes running TypeScript.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { DocumentMetadataInput } from '../../../../src/shared/document.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-store-'));
  made.push(dir);
  return dir;
}

export const sample = (overrides: Partial<DocumentMetadataInput> = {}): DocumentMetadataInput => ({
  organId: '000.00.14.H14',
  organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
  codeNotation: 'UBND-VP',
  issuedPlace: 'Cao Bằng',
  typeName: 'Công văn',
  subject: 'Về việc triển khai văn bản điện tử trên địa bàn tỉnh',
  signerPosition: 'Chủ tịch',
  signerFullName: 'Nguyễn Văn A',
  pageAmount: 2,
  recipients: [
    { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
    { organId: '000.00.18.G12', organName: 'Bộ Nội vụ' },
  ],
  ...overrides,
});

const childDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children');

/** Starts children/<name>.ts under Node with tsx, as the app would run the compiled store. */
export function spawnChild(name: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(childDir, `${name}.ts`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export { collect, type ChildResult } from '../../../kit/child-process.js';

