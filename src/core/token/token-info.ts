// Reads slots, tokens and their certificates from a loaded PKCS#11 module.
import pkcs11js from 'pkcs11js';
import type { TokenCertificate, TokenDescriptor, TokenFlags } from '../../shared/token.js';
import { parseCertificate } from '../x509/certificate-info.js';
import type { LoadedModule } from './pkcs11-module.js';

type Handle = pkcs11js.Handle;

export const flagsOf = (flags: number): TokenFlags => ({
  tokenInitialized: (flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
  loginRequired: (flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
  userPinInitialized: (flags & pkcs11js.CKF_USER_PIN_INITIALIZED) !== 0,
  protectedAuthenticationPath: (flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
  userPinCountLow: (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
  userPinFinalTry: (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0,
  userPinLocked: (flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0,
  userPinToBeChanged: (flags & pkcs11js.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
  writeProtected: (flags & pkcs11js.CKF_WRITE_PROTECTED) !== 0,
});

export function describeToken(module: LoadedModule, slot: Handle): TokenDescriptor {
  const info = module.lib.C_GetTokenInfo(slot);
  return {
    modulePath: module.path,
    slotId: slot.toString('hex'),
    label: info.label.trim(),
    serial: info.serialNumber.trim(),
    manufacturer: info.manufacturerID.trim(),
    model: info.model.trim(),
    flags: flagsOf(info.flags),
  };
}

export interface SlotToken {
  slot: Handle;
  token: TokenDescriptor;
}

/** Slots that hold an initialised token; empty and uninitialised slots (SoftHSM always adds one) are skipped. */
export function listSlotTokens(module: LoadedModule): SlotToken[] {
  const result: SlotToken[] = [];
  for (const slot of module.lib.C_GetSlotList(true)) {
    try {
      const token = describeToken(module, slot);
      if (token.flags.tokenInitialized) result.push({ slot, token });
    } catch (error) {
      // A token pulled out between the two calls is not there any more; SoftHSM says
      // CKR_GENERAL_ERROR rather than CKR_TOKEN_NOT_PRESENT for a deleted token.
      if (!(error instanceof pkcs11js.Pkcs11Error)) throw error;
    }
  }
  return result;
}

const attribute = (lib: pkcs11js.PKCS11, session: Handle, object: Handle, type: number): Buffer | undefined => {
  try {
    const [value] = lib.C_GetAttributeValue(session, object, [{ type }]);
    return value?.value as Buffer | undefined;
  } catch {
    return undefined;
  }
};

export function findObjects(lib: pkcs11js.PKCS11, session: Handle, template: pkcs11js.Template): Handle[] {
  lib.C_FindObjectsInit(session, template);
  try {
    const found: Handle[] = [];
    for (;;) {
      const batch = lib.C_FindObjects(session, 32);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

const USER_LOGGED_IN_STATES = new Set([1, 3]); // CKS_RO_USER_FUNCTIONS, CKS_RW_USER_FUNCTIONS

export const isSessionLoggedIn = (lib: pkcs11js.PKCS11, session: Handle): boolean =>
  USER_LOGGED_IN_STATES.has(lib.C_GetSessionInfo(session).state);

/** Every X.509 certificate on the token, parsed, with whether its private key is there. */
export function readCertificates(lib: pkcs11js.PKCS11, session: Handle): TokenCertificate[] {
  const loggedIn = isSessionLoggedIn(lib, session);
  const certificates: TokenCertificate[] = [];
  const handles = findObjects(lib, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  for (const handle of handles) {
    const der = attribute(lib, session, handle, pkcs11js.CKA_VALUE);
    if (!der || der.length === 0) continue;
    let certificate;
    try {
      certificate = parseCertificate(der);
    } catch {
      continue; // A malformed certificate object must not hide the good ones.
    }
    const id = attribute(lib, session, handle, pkcs11js.CKA_ID) ?? Buffer.alloc(0);
    const label = attribute(lib, session, handle, pkcs11js.CKA_LABEL)?.toString('utf8') ?? '';
    const keys = id.length
      ? findObjects(lib, session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: id },
        ])
      : [];
    const key = keys[0];
    const always = key ? attribute(lib, session, key, pkcs11js.CKA_ALWAYS_AUTHENTICATE) : undefined;
    certificates.push({
      id: id.toString('hex'),
      label,
      certificate,
      privateKey: key ? 'present' : loggedIn ? 'absent' : 'unknown',
      alwaysAuthenticate: always ? always[0] === 1 : undefined,
    });
  }
  // Tokens enumerate objects in no fixed order; the user should see the same list every time.
  return certificates.sort((a, b) => a.id.localeCompare(b.id) || a.label.localeCompare(b.label));
}
