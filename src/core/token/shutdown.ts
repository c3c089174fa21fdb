// Finalizes the PKCS#11 modules this process loaded, without itself loading pkcs11js: a command that never touched a token pays nothing.
const finalizers = new Set<() => Promise<void>>();

/** Called by the module loader when it is first evaluated. */
export function onFinalizeModules(finalize: () => Promise<void>): void {
  finalizers.add(finalize);
}

/** C_Finalize for every loaded module; a no-op when the token code was never imported. */
export async function finalizeLoadedModules(): Promise<void> {
  for (const finalize of finalizers) await finalize();
}
