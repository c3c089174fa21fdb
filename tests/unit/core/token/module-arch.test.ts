import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertModuleLoadable, parseBinaryHeader } from '../../../../src/core/token/module-arch.js';
import { isVanthuError } from '../../../../src/shared/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-arch-'));

/** A minimal ELF header: class (1=32, 2=64), type (3=shared object), machine. */
function elf(bits: 32 | 64, type: number, machine: number): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, 1, 1]);
  const view = new DataView(bytes.buffer);
  view.setUint16(16, type, true);
  view.setUint16(18, machine, true);
  return bytes;
}

/** A minimal PE header of a DLL for `machine`. */
function peDll(machine: number): Uint8Array {
  const bytes = new Uint8Array(256);
  bytes.set([0x4d, 0x5a]);
  const view = new DataView(bytes.buffer);
  view.setUint32(0x3c, 0x80, true);
  view.setUint32(0x80, 0x50450000, false);
  view.setUint16(0x84, machine, true);
  view.setUint16(0x80 + 22, 0x2000, true);
  return bytes;
}

function machO(cpu: number, fileType: number): Uint8Array {
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, cpu, true);
  view.setUint32(12, fileType, true);
  return bytes;
}

const file = (name: string, bytes: Uint8Array | string): string => {
  const target = path.join(dir, name);
  writeFileSync(target, bytes);
  return target;
};

async function failure(promise: Promise<unknown>): Promise<{ code: string; messageEn: string; messageVi: string }> {
  try {
    await promise;
  } catch (error) {
    if (isVanthuError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const linuxX64 = { platform: 'linux' as const, arch: 'x64' };

describe('parseBinaryHeader', () => {
  it('reads ELF class, type and machine', () => {
    expect(parseBinaryHeader(elf(64, 3, 0x3e))).toEqual({ format: 'elf', archs: ['x64'], bits: 64, isLibrary: true });
    expect(parseBinaryHeader(elf(32, 3, 0x03))).toEqual({ format: 'elf', archs: ['ia32'], bits: 32, isLibrary: true });
    expect(parseBinaryHeader(elf(64, 2, 0xb7))).toEqual({ format: 'elf', archs: ['arm64'], bits: 64, isLibrary: false });
  });

  it('reads PE DLLs and Mach-O dylibs', () => {
    expect(parseBinaryHeader(peDll(0x14c))).toEqual({ format: 'pe', archs: ['ia32'], bits: 32, isLibrary: true });
    expect(parseBinaryHeader(peDll(0x8664))).toMatchObject({ archs: ['x64'], bits: 64 });
    expect(parseBinaryHeader(machO(0x0100000c, 6))).toEqual({ format: 'macho', archs: ['arm64'], bits: 64, isLibrary: true });
  });

  it('knows nothing of text or empty files', () => {
    expect(parseBinaryHeader(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toBeUndefined();
    expect(parseBinaryHeader(new Uint8Array())).toBeUndefined();
  });
});

describe('assertModuleLoadable', () => {
  it('accepts the real SoftHSM module', async () => {
    const header = await assertModuleLoadable('/usr/lib/softhsm/libsofthsm2.so');
    expect(header.format).toBe('elf');
    expect(header.isLibrary).toBe(true);
  });

  it('refuses a 32-bit module in a 64-bit process and says so (FPT-CA ships one)', async () => {
    const error = await failure(assertModuleLoadable(file('fptca_v4.so', elf(32, 3, 0x03)), linuxX64));
    expect(error.code).toBe('TOKEN_MODULE_WRONG_ARCH');
    expect(error.messageEn).toContain('32-bit x86');
    expect(error.messageEn).toContain('64-bit x86-64');
    expect(error.messageVi).toContain('không thể nạp');
  });

  it('refuses a Windows DLL on Linux', async () => {
    const error = await failure(assertModuleLoadable(file('viettel-ca_v6.dll', peDll(0x8664)), linuxX64));
    expect(error.code).toBe('TOKEN_MODULE_WRONG_ARCH');
    expect(error.messageEn).toContain('PE (Windows)');
  });

  it('refuses an arm64 library on x64', async () => {
    const error = await failure(assertModuleLoadable(file('arm.so', elf(64, 3, 0xb7)), linuxX64));
    expect(error.code).toBe('TOKEN_MODULE_WRONG_ARCH');
    expect(error.messageEn).toContain('64-bit ARM');
  });

  it('refuses a text file, a directory and a missing path with distinct codes', async () => {
    expect((await failure(assertModuleLoadable(file('notes.txt', 'not a library'), linuxX64))).code).toBe('TOKEN_MODULE_NOT_LIBRARY');
    const folder = path.join(dir, 'folder.so');
    mkdirSync(folder);
    expect((await failure(assertModuleLoadable(folder, linuxX64))).code).toBe('TOKEN_MODULE_NOT_LIBRARY');
    expect((await failure(assertModuleLoadable(path.join(dir, 'absent.so'), linuxX64))).code).toBe('TOKEN_MODULE_NOT_FOUND');
  });

  it('refuses a non-PIE executable', async () => {
    const error = await failure(assertModuleLoadable(file('tool', elf(64, 2, 0x3e)), linuxX64));
    expect(error.code).toBe('TOKEN_MODULE_NOT_LIBRARY');
  });
});
