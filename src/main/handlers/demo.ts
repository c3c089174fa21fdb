// IPC handlers of "Dùng thử": the demo controller's status, start and leave; where no controller runs, the demo is reported unavailable.
import { VanthuError } from '../../shared/errors.js';
import type { DemoStatus } from '../../shared/ipc/demo.js';
import type { DEMO_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import { AGENCY_NAME, DEMO_AGENCY_PIN, DEMO_AGENCY_TOKEN, DEMO_LEADER_PIN, DEMO_LEADER_TOKEN, LEADER_NAME } from '../demo/tokens.js';
import { ROBOT_NAME } from '../demo/robot.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

const unavailable = (): DemoStatus => {
  const error = new VanthuError('DEMO_FAILED', { detail: 'chế độ này không chuyển sang bản dùng thử được / this mode cannot switch to the demo' });
  return {
    offered: false,
    active: false,
    available: false,
    problem: { messageVi: error.messageVi, messageEn: error.messageEn },
    leader: { token: DEMO_LEADER_TOKEN, name: LEADER_NAME, pin: DEMO_LEADER_PIN },
    agency: { token: DEMO_AGENCY_TOKEN, name: AGENCY_NAME, pin: DEMO_AGENCY_PIN },
    robotName: ROBOT_NAME,
  };
};

export function demoHandlers(context: ServiceContext): FeatureHandlers<(typeof DEMO_CHANNEL_NAMES)[number]> {
  const demo = () => context.options.demo;
  return {
    'demo.status': async () => (await demo()?.status()) ?? unavailable(),
    'demo.start': async () => {
      const controller = demo();
      if (!controller) return unavailable();
      return controller.start();
    },
    'demo.leave': async () => {
      const controller = demo();
      if (!controller) return unavailable();
      return controller.leave();
    },
  };
}
