import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, TokenWatcher } from '../../../../src/core/token/index.js';
import type { TokenEvent } from '../../../../src/shared/token.js';
import { usePrivateTokens } from '../../../kit/pki.js';

const pki = usePrivateTokens();
afterAll(finalizeAllModules);

const softhsm = (...args: string[]): string =>
  execFileSync('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf }, encoding: 'utf8' });

describe('TokenWatcher', () => {
  it('reports tokens plugged in and pulled out, without events for those already there', async () => {
    const watcher = new TokenWatcher([pki.module], 60_000);
    const events: TokenEvent[] = [];
    watcher.on('change', (event) => events.push(event));
    await watcher.start();
    try {
      expect(watcher.tokens.map((t) => t.label).sort()).toEqual(pki.tokens.map((t) => t.label).sort());
      await watcher.pollNow();
      expect(events).toEqual([]);

      softhsm('--init-token', '--free', '--label', 'VANTHU MỚI', '--pin', '111111', '--so-pin', '22222222');
      await watcher.pollNow();
      expect(events.map((e) => [e.type, e.token.label])).toEqual([['inserted', 'VANTHU MỚI']]);

      softhsm('--delete-token', '--token', 'VANTHU REVOKED');
      await watcher.pollNow();
      expect(events.slice(1).map((e) => [e.type, e.token.label])).toEqual([['removed', 'VANTHU REVOKED']]);
    } finally {
      watcher.stop();
    }
  });

  it('does not keep the process alive', async () => {
    const watcher = new TokenWatcher([pki.module], 10);
    await watcher.start();
    // An unref'd timer: the test ending proves nothing hangs; stopping twice is harmless.
    watcher.stop();
    watcher.stop();
    expect(watcher.tokens.length).toBeGreaterThan(0);
  });
});
