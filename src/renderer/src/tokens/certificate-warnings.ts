// What an official should be warned of before choosing a certificate to sign with.
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import type { MessageKey } from '../i18n/messages.js';

type Certificate = IpcResponse<'tokens.list'>[number]['tokens'][number]['certificates'][number]['certificate'];

export function certificateWarnings(certificate: Certificate, now: Date = new Date()): MessageKey[] {
  const warnings: MessageKey[] = [];
  if (now > new Date(certificate.notAfter)) warnings.push('expired');
  if (now < new Date(certificate.notBefore)) warnings.push('notYetValid');
  if (certificate.keyUsage && !certificate.keyUsage.includes('nonRepudiation') && !certificate.keyUsage.includes('digitalSignature')) {
    warnings.push('notForSigning');
  }
  return warnings;
}
