// Keeps vanthu's data private on disk: folders 0700 and files 0600 on Linux and macOS whatever the umask, older loose ones tightened once with a notice.
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Windows has no such modes (its ACLs give the user's profile folders to the user already). */
const POSIX = process.platform !== 'win32';

/** Bits that let other users of the machine read, write or enter. */
const OTHERS = 0o077;

type Notify = (vi: string, en: string) => void;

let notify: Notify = (vi, en) => process.stderr.write(`vanthu: ${vi}\n${en}\n`);
const noticed = new Set<string>();

/** Where tightening notices go (the app sends them to its log); standard error by default. */
export function setPrivacyNotice(target: Notify): void {
  notify = target;
}

function tell(target: string, count: number): void {
  if (noticed.has(target)) return;
  noticed.add(target);
  notify(
    `đã giới hạn quyền truy cập ${count} mục trong "${target}" chỉ cho người dùng này (thư mục 0700, tệp 0600): dữ liệu văn bản không còn để người khác trên máy đọc được.`,
    `restricted ${count} item(s) in "${target}" to this user (folders 0700, files 0600): other users of this machine could read this data.`,
  );
}

/** `mode` without the others' bits, or undefined when it has none. */
const tightened = (mode: number): number | undefined => ((mode & OTHERS) === 0 ? undefined : mode & 0o7777 & ~OTHERS);

/** Creates `dir` and any missing parents as 0700 (chmod after mkdir, so a umask cannot loosen or block it); existing ones are left alone. */
export function mkdirPrivate(dir: string): void {
  for (const level of createdLevels(dir, mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE }))) chmodSync(level, PRIVATE_DIR_MODE);
}

/**
 * `mkdirPrivate` on libuv's pool: for paths that run while files are being written and synced, where a synchronous
 * mkdir of an existing folder waited on the file system (0.8 ms a call on the event loop, storing incoming files).
 */
export async function mkdirPrivateAsync(dir: string): Promise<void> {
  for (const level of createdLevels(dir, await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE }))) await chmod(level, PRIVATE_DIR_MODE);
}

/** The folders a recursive mkdir of `dir` created (`first`: the first of them, as mkdir returns it), deepest first; none on Windows. */
function createdLevels(dir: string, first: string | undefined): string[] {
  if (!POSIX || first === undefined) return [];
  const levels: string[] = [];
  for (let level = path.resolve(dir); ; level = path.dirname(level)) {
    levels.push(level);
    if (level === path.resolve(first) || path.dirname(level) === level) return levels;
  }
}

/** Removes the others' bits from `target` and, for a folder, from everything under it (symbolic links are not followed). Returns how many changed. */
function tightenTree(target: string): number {
  let changed = 0;
  const fix = (entry: string): void => {
    const info = lstatSync(entry, { throwIfNoEntry: false });
    if (!info || info.isSymbolicLink()) return;
    const mode = tightened(info.mode);
    if (mode === undefined) return;
    chmodSync(entry, mode);
    changed++;
  };
  fix(target);
  if (lstatSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) fix(path.join(entry.parentPath, entry.name));
  }
  return changed;
}

/**
 * The data folder `dir`, private: made 0700 when missing; when it exists with bits for other users
 * (made by an older vanthu, or by hand), it and everything in it lose those bits, with one notice.
 * A folder already 0700 is not walked: the check costs one stat at every start.
 */
export function ensurePrivateDir(dir: string): void {
  const existing = lstatSync(dir, { throwIfNoEntry: false });
  if (!existing) return mkdirPrivate(dir);
  if (!POSIX || !existing.isDirectory() || tightened(existing.mode) === undefined) return;
  const changed = tightenTree(dir);
  if (changed) tell(dir, changed);
}

/**
 * A file that another library creates (SQLite's database): made empty as 0600 when missing, so the
 * library opens it with that mode (SQLite also gives its -wal and -shm files the database's mode);
 * tightened with a notice when it exists with bits for other users.
 */
export function ensurePrivateFile(file: string): void {
  if (path.basename(file) === ':memory:') return;
  const existing = lstatSync(file, { throwIfNoEntry: false });
  if (!existing) {
    closeSync(openPrivate(file, 'a'));
    return;
  }
  if (!POSIX || !existing.isFile() || tightened(existing.mode) === undefined) return;
  chmodSync(file, existing.mode & 0o7777 & ~OTHERS);
  tell(file, 1);
}

/** Files a library made beside `file` (SQLite's -wal and -shm): tightened when present, with a notice. */
export function tightenIfPresent(...files: string[]): void {
  for (const file of files) {
    const info = lstatSync(file, { throwIfNoEntry: false });
    if (!POSIX || !info?.isFile() || tightened(info.mode) === undefined) continue;
    chmodSync(file, info.mode & 0o7777 & ~OTHERS);
    tell(file, 1);
  }
}

/** openSync for a file of ours: created 0600 (fchmod after, whatever the umask). */
export function openPrivate(file: string, flags: string): number {
  const fd = openSync(file, flags, PRIVATE_FILE_MODE);
  if (POSIX) {
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }
  return fd;
}
