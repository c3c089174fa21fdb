// The Appendix VI metadata of the outgoing document a draft becomes (what the store's documents table takes).
import type { DocumentMetadataInput } from '../../shared/document.js';
import type { Draft } from '../../shared/draft.js';
import { signerTitleLines } from './closing.js';
import { metadataTypeName } from './templates.js';

/** Without the number and date: the outgoing register assigns those at issue. */
export function documentMetadataFromDraft(draft: Draft, pageAmount?: number): DocumentMetadataInput {
  return {
    ...(draft.organId ? { organId: draft.organId } : {}),
    organName: draft.organName,
    codeNotation: draft.codeNotation,
    issuedPlace: draft.issuedPlace,
    typeName: metadataTypeName(draft),
    subject: draft.subject,
    language: 'vi',
    ...(pageAmount ? { pageAmount } : {}),
    priority: draft.priority,
    secrecy: draft.secrecy,
    // Appendix VI Position: the title as printed, e.g. "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" (check against the receiving system).
    signerPosition: signerTitleLines(draft.signer).join(' ').slice(0, 100),
    signerFullName: draft.signer.fullName,
  };
}
