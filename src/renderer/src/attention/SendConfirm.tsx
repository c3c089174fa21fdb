// The question before a document goes out: the recipients listed by name and organ id, send or not.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export interface SendConfirmProps {
  recipients: readonly { organId: string; organName: string }[];
  onConfirm(): void;
  onCancel(): void;
}

export function SendConfirm({ recipients, onConfirm, onCancel }: SendConfirmProps) {
  const { t } = useTranslation();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div role="dialog" aria-modal="true" aria-labelledby="send-confirm-title" className="dialog send-confirm">
        <h3 id="send-confirm-title">{t('attention.confirmTitle')}</h3>
        <p>{t('attention.confirmIntro', { count: recipients.length })}</p>
        <ul className="send-confirm-recipients">
          {recipients.map((r) => (
            <li key={r.organId}>
              <strong>{r.organName}</strong> <span className="organ-id">{`${t('attention.organId')}: ${r.organId}`}</span>
            </li>
          ))}
        </ul>
        <div className="dialog-buttons">
          <button ref={confirm} type="button" onClick={onConfirm}>{t('attention.confirmSend')}</button>
          <button type="button" onClick={onCancel}>{t('attention.confirmCancel')}</button>
        </div>
      </div>
    </div>
  );
}
