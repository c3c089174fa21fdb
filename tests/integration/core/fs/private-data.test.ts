// Data folders 0700 and files 0600 whatever the umask, older loose ones tightened once with a notice (issue 13).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(path.join(tmpdir(), 'vanthu-private-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the child under `umask` in a shell, as a user's session would start vanthu. */
function childUnder(umask: string, root: string) {
  const child = spawnSync('sh', ['-c', `umask ${umask} && exec "$0" --import tsx tests/integration/core/fs/private-data-child.ts "$1"`, process.execPath, root], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  return { modes: JSON.parse(child.stdout) as Record<string, string>, stderr: child.stderr };
}

/** Everything that is neither a 700 folder nor a 600 file. */
const loose = (modes: Record<string, string>): string[] =>
  Object.entries(modes)
    .filter(([, mode]) => mode !== 'dir 700' && mode !== 'file 600')
    .map(([name, mode]) => `${name} ${mode}`);

describe.skipIf(process.platform === 'win32')('private data folders', () => {
  for (const umask of ['022', '000']) {
    it(`made 0700/0600 under umask ${umask}: the store, its blobs (sent and received), SQLite with -wal/-shm, the server database and receipt folder, logs`, () => {
      const root = path.join(scratch, `fresh-${umask}`);
      mkdirSync(root);
      chmodSync(root, 0o700);
      const { modes, stderr } = childUnder(umask, root);
      for (const file of ['data/vanthu.db', 'data/vanthu.db-wal', 'data/vanthu.db-shm', 'srv/vanthu-server/exchange.db', 'srv/vanthu-server/exchange.db-wal', 'data/logs/vanthu.log']) {
        expect(modes[file], file).toBe('file 600');
      }
      for (const folder of ['data', 'data/blobs', 'data/blobs/tmp', 'data/logs', 'srv', 'srv/vanthu-server']) expect(modes[folder], folder).toBe('dir 700');
      const blobFolders = Object.keys(modes).filter((name) => /^data\/blobs\/[0-9a-f]{2}$/.test(name));
      // One made by put, one by putAsync (a received file).
      expect(blobFolders).toHaveLength(2);
      expect(loose(modes)).toEqual([]);
      // Nothing was loose, so nothing to say.
      expect(stderr).not.toContain('0700');
    });
  }

  it('tightens a data folder an older version left 0755/0644, with one notice in both languages', () => {
    const root = path.join(scratch, 'older');
    const data = path.join(root, 'data');
    mkdirSync(path.join(data, 'blobs', 'ab'), { recursive: true });
    writeFileSync(path.join(data, 'blobs', 'ab', 'cdef'), 'an orphan the integrity check will quarantine');
    writeFileSync(path.join(data, 'notes.txt'), 'received document notes');
    mkdirSync(path.join(root, 'srv', 'vanthu-server'), { recursive: true });
    for (const [target, mode] of [
      [root, 0o700],
      [data, 0o755],
      [path.join(data, 'blobs'), 0o755],
      [path.join(data, 'blobs', 'ab'), 0o755],
      [path.join(data, 'blobs', 'ab', 'cdef'), 0o644],
      [path.join(data, 'notes.txt'), 0o644],
      [path.join(root, 'srv'), 0o755],
      [path.join(root, 'srv', 'vanthu-server'), 0o755],
    ] as const) chmodSync(target, mode);
    const { modes, stderr } = childUnder('022', root);
    // A folder the administrator chose and vanthu did not make is left as it was; the files in it are private.
    expect(modes['srv']).toBe('dir 755');
    expect(loose(modes)).toEqual(['srv dir 755']);
    expect(modes['data/notes.txt']).toBe('file 600');
    expect(modes['data/blobs-quarantine/cdef'] ?? modes['data/blobs/ab/cdef']).toBe('file 600');
    const notices = stderr.split('\n').filter((line) => line.includes(`"${data}"`));
    expect(notices.filter((line) => line.includes('đã giới hạn quyền truy cập'))).toHaveLength(1);
    expect(notices.filter((line) => line.includes('restricted'))).toHaveLength(1);
  });
});
