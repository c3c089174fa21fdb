// Loads each PKCS#11 module once per process (one C_Initialize) and finalizes it on shutdown.
import { realpath } from 'node:fs/promises';
import pkcs11js from 'pkcs11js';
import { VanthuError } from '../../shared/errors.js';
import { assertModuleLoadable } from './module-arch.js';
import { pkcs11Code } from './pkcs11-errors.js';
import { onFinalizeModules } from './shutdown.js';

export interface LoadedModule {
  /** The path as the user gave it. */
  path: string;
  lib: pkcs11js.PKCS11;
  info: { manufacturer: string; description: string; cryptokiVersion: string; libraryVersion: string };
  /** Bumped by each re-initialisation: sessions opened in an older epoch are gone. */
  epoch: number;
}

const loaded = new Map<string, Promise<LoadedModule>>();
onFinalizeModules(() => finalizeAllModules());

function initialize(lib: pkcs11js.PKCS11): void {
  try {
    // OS locking lets pkcs11js run C_Sign on a worker thread while the main thread lists slots.
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    const code = pkcs11Code(error);
    if (code === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) return;
    if (code === pkcs11js.CKR_CANT_LOCK || code === pkcs11js.CKR_ARGUMENTS_BAD) {
      lib.C_Initialize();
      return;
    }
    throw error;
  }
}

/**
 * Why dlopen's message means the file is no PKCS#11 library, or undefined: a position-independent
 * executable (its ELF header says "shared object", as /bin/ls's does) or a shared library without
 * C_GetFunctionList (glibc and macOS dyld spellings).
 */
function notPkcs11Library(message: string): string | undefined {
  if (/position-independent executable|not a dynamic library/i.test(message)) return 'an executable, not a shared library / tệp chạy, không phải thư viện';
  if (/C_GetFunctionList/.test(message)) return 'a library without C_GetFunctionList / thư viện không có hàm C_GetFunctionList';
  return undefined;
}

async function load(path: string): Promise<LoadedModule> {
  await assertModuleLoadable(path);
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(path);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // The header looked like a library but the loader says it is not one, or not a PKCS#11 one: the user named the wrong file (exit 2).
    const wrongFile = notPkcs11Library(detail);
    if (wrongFile) throw new VanthuError('TOKEN_MODULE_NOT_LIBRARY', { path, detail: wrongFile }, { cause: error });
    throw new VanthuError('TOKEN_MODULE_LOAD_FAILED', { path, detail }, { cause: error });
  }
  try {
    initialize(lib);
    const info = lib.C_GetInfo();
    return {
      path,
      epoch: 0,
      lib,
      info: {
        manufacturer: info.manufacturerID.trim(),
        description: info.libraryDescription.trim(),
        cryptokiVersion: `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`,
        libraryVersion: `${info.libraryVersion.major}.${info.libraryVersion.minor}`,
      },
    };
  } catch (error) {
    try {
      lib.close();
    } catch {
      // The load already failed; closing is best effort.
    }
    throw new VanthuError('TOKEN_MODULE_LOAD_FAILED', { path, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/** The module at `path`, loaded and initialised on first use and shared afterwards. */
export async function loadModule(path: string): Promise<LoadedModule> {
  const key = await realpath(path).catch(() => path);
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(path);
    loaded.set(key, pending);
    // A failed load must not stick: the user may install the right driver and retry.
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}

/**
 * Re-initialises a module so it sees tokens plugged in since it was loaded: some modules
 * (SoftHSM, several vendor ones) only enumerate tokens in C_Initialize. Every session of the
 * module, and every login, ends.
 */
export function reinitializeModule(module: LoadedModule): void {
  try {
    module.lib.C_Finalize();
  } catch {
    // Already finalised or the library is confused: initialising again is what we want anyway.
  }
  initialize(module.lib);
  module.epoch++;
}

/** C_Finalize every loaded module (app quit, CLI exit). */
export async function finalizeAllModules(): Promise<void> {
  const modules = await Promise.allSettled(loaded.values());
  loaded.clear();
  for (const result of modules) {
    if (result.status !== 'fulfilled') continue;
    try {
      result.value.lib.C_Finalize();
      result.value.lib.close();
    } catch {
      // Finalizing at shutdown: nothing useful to do with a failure.
    }
  }
}
