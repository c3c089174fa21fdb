// Handlers of the local signing service's channels: status, turning it on/off with consent, trusting the CA, answering its questions.
import { VanthuError } from '../../shared/errors.js';
import type { LOCAL_SERVICE_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function localServiceHandlers(context: ServiceContext): FeatureHandlers<(typeof LOCAL_SERVICE_CHANNEL_NAMES)[number]> {
  const controller = () => context.options.localService ?? (() => {
    throw new VanthuError('BAD_INPUT', { detail: 'dịch vụ ký số cho trang web không có trong bản này / the local signing service is not available here' });
  })();
  return {
    'localService.status': () => controller().status(),
    'localService.configure': (request) => controller().configure(request),
    'localService.trustCa': () => controller().trustCa(),
    'localService.answerOrigin': async ({ requestId, decision }) => ({ ok: controller().answerOrigin(requestId, decision) }),
    'localService.preview': async ({ requestId }) => ({ base64: controller().preview(requestId) }),
    'localService.answerSigning': async ({ requestId, approve, pin }) => ({ ok: controller().answerSigning(requestId, { approve, ...(pin ? { pin } : {}) }) }),
  };
}
