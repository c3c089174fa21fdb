// Helpers for the outbox tests: temp data folders, documents with a PDF, child processes running TypeScript, and reading a child's lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { addFile, createDocument, type Store } from '../../../../src/core/store/index.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-outbox-'));
  made.push(dir);
  return dir;
}

/** An outgoing draft with `pdf` as its main file. */
export function draftWithPdf(store: Store, pdf: Uint8Array, subject = 'Về việc triển khai văn bản điện tử'): { id: number; fileId: number } {
  const { id } = createDocument(store.db, 'outgoing', { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject });
  const { fileId } = addFile(store.db, store.blobs, id, { role: 'main', name: `van-ban-${id}.pdf`, bytes: pdf });
  return { id, fileId };
}

const childDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children');

/** Starts children/<name>.ts under Node with tsx; stdin stays open for a PIN when asked. */
export function spawnChild(name: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(childDir, `${name}.ts`), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  else child.stdin?.end();
  return child;
}

export { collect, type ChildResult } from '../../../kit/child-process.js';


/** Resolves when the child has printed a line matching `pattern` (or rejects when it exits first). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer): void => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`child exited before printing ${pattern}: ${buffer}`));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
