// One reusable PKCS#11 session per token: login with the PIN, serialised operations, recovery after re-insertion.
import pkcs11js from 'pkcs11js';
import { VanthuError } from '../../shared/errors.js';
import type { TokenCertificate, TokenDescriptor } from '../../shared/token.js';
import { loadModule, reinitializeModule, type LoadedModule } from './pkcs11-module.js';
import { isTokenGone, toVanthuError } from './pkcs11-errors.js';
import { describeToken, isSessionLoggedIn, listSlotTokens, readCertificates } from './token-info.js';

type Handle = pkcs11js.Handle;

export interface TokenSelector {
  /** Token label as shown by `vanthu token list`; the first token when neither is given. */
  label?: string;
  serial?: string;
}

interface OpenSession {
  slot: Handle;
  handle: Handle;
  /** The module's epoch when opened: a re-initialised module has closed it. */
  epoch: number;
  /** Bumped on each new session so callers can drop handles cached from an older one. */
  generation: number;
}

const sessions = new Map<string, TokenSession>();

export class TokenSession {
  private current: OpenSession | undefined;
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly module: LoadedModule,
    private descriptor: TokenDescriptor,
  ) {}

  /**
   * The session for the chosen token, shared in this process (login is per token, so every
   * caller sees the same login state). Throws TOKEN_NOT_FOUND when no such token is plugged in.
   */
  static async open(modulePath: string, selector: TokenSelector = {}): Promise<TokenSession> {
    const module = await loadModule(modulePath);
    let found = listSlotTokens(module).find(({ token }) => matches(token, selector));
    if (!found && !hasOpenSessions(module)) {
      reinitializeModule(module);
      found = listSlotTokens(module).find(({ token }) => matches(token, selector));
    }
    if (!found) throw new VanthuError('TOKEN_NOT_FOUND', { token: selector.label ?? selector.serial ?? modulePath });
    const key = `${module.path}\u0000${found.token.serial}\u0000${found.token.label}`;
    let session = sessions.get(key);
    // A session cached before the modules were finalized (an app runtime closed and started again) holds the old, closed library.
    if (!session || session.module !== module) {
      session = new TokenSession(module, found.token);
      sessions.set(key, session);
    }
    return session;
  }

  /** Whether this holds a live session (and so possibly a login that a rescan would end). */
  get isOpen(): boolean {
    return this.current !== undefined && this.current.epoch === this.module.epoch;
  }

  get token(): TokenDescriptor {
    return this.descriptor;
  }

  /**
   * Runs `operation` with an open session, one operation at a time (a PKCS#11 session is
   * single-threaded). If the token was pulled out, the session is dropped and TOKEN_REMOVED
   * thrown; the next call finds the token again by serial once it is plugged back in.
   */
  run<T>(operationName: string, operation: (lib: pkcs11js.PKCS11, session: OpenSession) => T | Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const session = this.ensureSession();
      try {
        return await operation(this.module.lib, session);
      } catch (error) {
        if (isTokenGone(error) || (error instanceof pkcs11js.Pkcs11Error && !this.stillPresent(session))) {
          this.dropSession();
          throw new VanthuError('TOKEN_REMOVED', { token: this.descriptor.label }, { cause: error });
        }
        throw toVanthuError(error, { token: this.descriptor.label, operation: operationName, tokenFlags: () => this.readFlags() });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Logs the user in. The PIN goes to the token and nowhere else: it is not kept. */
  login(pin: string): Promise<void> {
    if (typeof pin !== 'string' || pin.length === 0) {
      return Promise.reject(new VanthuError('TOKEN_PIN_INVALID', { token: this.descriptor.label, detail: 'empty / trống' }));
    }
    return this.run('log in', (lib, session) => {
      if (this.refreshDescriptor().flags.userPinLocked) throw new VanthuError('TOKEN_PIN_LOCKED', { token: this.descriptor.label });
      try {
        lib.C_Login(session.handle, pkcs11js.CKU_USER, pin);
      } catch (error) {
        if (error instanceof pkcs11js.Pkcs11Error && error.code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return;
        throw error;
      } finally {
        this.refreshDescriptor();
      }
    });
  }

  logout(): Promise<void> {
    return this.run('log out', (lib, session) => {
      try {
        lib.C_Logout(session.handle);
      } catch (error) {
        if (!(error instanceof pkcs11js.Pkcs11Error && error.code === pkcs11js.CKR_USER_NOT_LOGGED_IN)) throw error;
      }
    });
  }

  isLoggedIn(): Promise<boolean> {
    return this.run('read the session state', (lib, session) => isSessionLoggedIn(lib, session.handle));
  }

  certificates(): Promise<TokenCertificate[]> {
    return this.run('read certificates', (lib, session) => readCertificates(lib, session.handle));
  }

  /** The certificate chosen by CKA_ID (hex), label, or subject CN; the first with a key when none is given. */
  async certificate(selector?: string): Promise<TokenCertificate> {
    const all = await this.certificates();
    const chosen = selector
      ? all.find((c) => c.id === selector.toLowerCase() || c.label === selector || c.certificate.subject.commonName === selector)
      : (all.find((c) => c.privateKey !== 'absent') ?? all[0]);
    if (!chosen) throw new VanthuError('TOKEN_CERT_NOT_FOUND', { token: this.descriptor.label, cert: selector ?? '*' });
    return chosen;
  }

  /** Closes our session (not the login of other applications). */
  close(): Promise<void> {
    return this.run('close the session', () => this.dropSession());
  }

  private ensureSession(): OpenSession {
    if (this.current && this.current.epoch === this.module.epoch) return this.current;
    this.current = undefined;
    const isOurs = ({ token }: { token: TokenDescriptor }): boolean =>
      token.serial === this.descriptor.serial && token.label === this.descriptor.label;
    let found = listSlotTokens(this.module).find(isOurs);
    if (!found) {
      // Plugged back in? Modules that enumerate tokens only at C_Initialize need a rescan.
      reinitializeModule(this.module);
      found = listSlotTokens(this.module).find(isOurs);
    }
    if (!found) throw new VanthuError('TOKEN_NOT_FOUND', { token: this.descriptor.label });
    const handle = this.module.lib.C_OpenSession(found.slot, pkcs11js.CKF_SERIAL_SESSION);
    this.descriptor = found.token;
    this.current = { slot: found.slot, handle, epoch: this.module.epoch, generation: ++this.generation };
    return this.current;
  }

  /** After a failure: is the token still there? (Deleted SoftHSM tokens and some USB tokens give generic errors.) */
  private stillPresent(session: OpenSession): boolean {
    try {
      return this.module.lib.C_GetTokenInfo(session.slot).serialNumber.trim() === this.descriptor.serial;
    } catch {
      return false;
    }
  }

  private dropSession(): void {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    try {
      this.module.lib.C_CloseSession(current.handle);
    } catch {
      // The token is gone or the session already invalid: nothing left to close.
    }
  }

  private refreshDescriptor(): TokenDescriptor {
    if (this.current) {
      try {
        this.descriptor = describeToken(this.module, this.current.slot);
      } catch (error) {
        if (!isTokenGone(error)) throw error;
      }
    }
    return this.descriptor;
  }

  private readFlags(): number | undefined {
    if (!this.current) return undefined;
    try {
      return this.module.lib.C_GetTokenInfo(this.current.slot).flags;
    } catch {
      return undefined;
    }
  }
}

const matches = (token: TokenDescriptor, selector: TokenSelector): boolean =>
  (selector.label === undefined || token.label === selector.label) && (selector.serial === undefined || token.serial === selector.serial);

/** Whether any session of this module is open, so re-initialising it would end a login. */
export function hasOpenSessions(module: LoadedModule): boolean {
  for (const session of sessions.values()) if (session.module === module && session.isOpen) return true;
  return false;
}

/** Forget cached sessions (used when modules are finalised). */
export function forgetSessions(): void {
  sessions.clear();
}
