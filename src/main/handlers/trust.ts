// Handlers of the trusted roots screen: list, turn a bundled root on/off, add or remove the user's roots; each change refreshes the trust store in place and tells the exchange.
import { VanthuError } from '../../shared/errors.js';
import type { TRUST_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { SettingsPatch } from '../../shared/settings.js';
import { refreshTrust } from '../trust-settings.js';
import { addRootPatch, bundledEnabledPatch, removeRootPatch, trustList } from '../trust-roots.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function trustHandlers(context: ServiceContext): FeatureHandlers<(typeof TRUST_CHANNEL_NAMES)[number]> {
  const { options } = context;
  const bundledDir = options.trustSources?.bundledDir;
  const store = () => {
    if (!options.settings) throw new VanthuError('BAD_INPUT', { detail: 'cài đặt không có ở chế độ này / settings are not available here' });
    return options.settings;
  };
  const dataDir = (): string => {
    const dir = options.runtime?.store.dataDir;
    if (!dir) throw new VanthuError('BAD_INPUT', { detail: 'chưa mở kho dữ liệu / no data folder open' });
    return dir;
  };
  /** Saves the change, rebuilds the shared trust store (the runtime and handlers hold it by reference) and has held documents checked again. */
  const apply = async (patch: SettingsPatch) => {
    const next = store().set(patch);
    if (options.trust) {
      await refreshTrust(options.trust, next, options.trustSources);
      // The re-check runs in the background; its outcome reaches the screen through the exchange's events.
      void options.runtime?.exchange.engine?.trustChanged(options.trust).catch(() => undefined);
    }
    return trustList(next, bundledDir);
  };
  return {
    'trust.list': async () => trustList(store().get(), bundledDir),
    'trust.setBundledEnabled': ({ fingerprint, enabled }) => apply(bundledEnabledPatch(store().get(), fingerprint, enabled, bundledDir)),
    'trust.addRoot': ({ certificateBase64 }) => apply(addRootPatch(store().get(), dataDir(), new Uint8Array(Buffer.from(certificateBase64, 'base64')))),
    'trust.removeRoot': ({ fingerprint }) => apply(removeRootPatch(store().get(), options.runtime?.store.dataDir, fingerprint)),
  };
}
