// An issued outgoing document of UBND tỉnh Cao Bằng to Sở Nội vụ, its main file already signed and sealed: what the exchange tests send.
import { addFile, assignOutgoingNumber, createDocument, transition, type Store } from '../../../../src/core/store/index.js';
import { CAO_BANG, NOI_VU } from '../../server/kit.js';

export function issuedDocument(store: Store, subject: string, sealedPdf: Uint8Array): number {
  const { id } = createDocument(store.db, 'outgoing', {
    organId: CAO_BANG, organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', typeName: 'Công văn', subject,
    recipients: [{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }],
  });
  addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: sealedPdf });
  transition(store.db, id, 'signed_by_leader');
  assignOutgoingNumber(store.db, id);
  transition(store.db, id, 'issued');
  return id;
}
