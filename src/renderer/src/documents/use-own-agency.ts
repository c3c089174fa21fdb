// A new document is issued by our agency: fills the form's agency from the one the exchange server knows us as, unless the clerk typed one.
import { useEffect, type Dispatch, type SetStateAction } from 'react';
import { call } from '../bridge.js';

export function useOwnAgency<T extends { organId: string; organName: string }>(isNew: boolean, setValues: Dispatch<SetStateAction<T>>): void {
  useEffect(() => {
    if (!isNew) return;
    let live = true;
    call('sync.status', {})
      .then(({ agency }) => {
        if (live && agency) setValues((v) => (v.organId || v.organName ? v : { ...v, organId: agency.organId, organName: agency.name }));
      })
      // Not configured or offline: the clerk types the agency.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [isNew, setValues]);
}
