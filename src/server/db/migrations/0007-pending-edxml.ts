// A held submission that came as an edXML package keeps the package's DocumentId and trace list, written with the message once a re-check accepts it.
import type { Kysely, Migration } from 'kysely';

// Why a column and not the envelope: the envelope is what the message will be (hashed, stored, served);
// the DocumentId and traces belong to edxml_documents, which needs the message row first.
export const pendingEdxmlMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('pending_submissions').addColumn('edxml', 'text').execute();
  },
};
