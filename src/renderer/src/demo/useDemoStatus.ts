// The demo's status from main, read once per page load (starting or leaving the demo reloads the page).
import { useEffect, useState } from 'react';
import type { DemoStatus } from '../../../shared/ipc/demo.js';
import { call } from '../bridge.js';

export function useDemoStatus(): DemoStatus | undefined {
  const [status, setStatus] = useState<DemoStatus>();
  useEffect(() => {
    let live = true;
    void call('demo.status', {}).then(
      (value) => live && setStatus(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return status;
}
