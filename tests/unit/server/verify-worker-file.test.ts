// Where the server's verification threads start: the tsx shim from the sources, the bundle's own entry from out/cli.
import { describe, expect, it } from 'vitest';
import { workerFile } from '../../../src/server/messages/verifier.js';

describe('verification worker file', () => {
  it('is the tsx shim beside the source, and the bundle entry beside vanthu.mjs from a chunk or the entry itself', () => {
    expect(workerFile('file:///repo/src/server/messages/verifier.ts')).toBe('file:///repo/src/server/messages/verify-worker.mjs');
    expect(workerFile('file:///repo/out/cli/chunks/server-AB12.mjs')).toBe('file:///repo/out/cli/verify-worker.mjs');
    expect(workerFile('file:///repo/out/cli/vanthu.mjs')).toBe('file:///repo/out/cli/verify-worker.mjs');
  });
});
