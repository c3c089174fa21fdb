// How a certificate is told apart in a picker: holder, organization, CA, validity dd/MM/yyyy, the serial's tail, and the marks that forbid preselecting it.
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import type { CertificateRevocation } from '../../../shared/ipc/signing.js';
import { vietnamDate, vietnamToday } from '../../../shared/vietnam-date.js';

export type TokenCertificate = IpcResponse<'tokens.list'>[number]['tokens'][number]['certificates'][number]['certificate'];
/** Revocation as a picker shows it: still asking, or the answer. */
export type RevocationState = 'checking' | CertificateRevocation['status'];
export type CertificateMark = 'expired' | 'notYetValid' | 'revoked';

/** The last 6 hex digits of the serial number, upper case: two certificates with one name still differ here. */
export function serialTail(serialNumber: string): string {
  const hex = serialNumber.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.slice(-6) || '0';
}

/** An ISO instant as its Vietnam calendar day, dd/MM/yyyy. */
export const vietnamDay = (iso: string): string => vietnamDate(vietnamToday(new Date(iso)));

export const validityText = (c: TokenCertificate): string => `${vietnamDay(c.notBefore)} – ${vietnamDay(c.notAfter)}`;

/** Organization and units, as the certificate names them. */
export const organizationText = (c: TokenCertificate): string => [c.subject.organization, ...c.subject.organizationalUnits].filter(Boolean).join(' · ');

export function certificateMarks(c: TokenCertificate, revocation: RevocationState | undefined, now: Date = new Date()): CertificateMark[] {
  const marks: CertificateMark[] = [];
  if (now > new Date(c.notAfter)) marks.push('expired');
  if (now < new Date(c.notBefore)) marks.push('notYetValid');
  if (revocation === 'revoked') marks.push('revoked');
  return marks;
}

/** A certificate offered first must be usable: not expired, not yet valid or revoked. */
export const preselectable = (c: TokenCertificate, revocation: RevocationState | undefined, now?: Date): boolean => certificateMarks(c, revocation, now).length === 0;

/** One line for a <select> option: every part in words, the marks included (an option cannot carry colour). */
export function certificateLine(c: TokenCertificate, marks: string[], extra?: string): string {
  return [c.subject.commonName ?? '—', organizationText(c), c.issuer.commonName, validityText(c), `…${serialTail(c.serialNumber)}`, extra, ...marks.map((m) => `[${m}]`)]
    .filter(Boolean)
    .join(' — ');
}
