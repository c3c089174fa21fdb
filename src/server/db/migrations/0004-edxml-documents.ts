// What an imported edXML package carried that must travel on unchanged: its DocumentId (statuses answer by it) and its trace list.
import type { Kysely, Migration } from 'kysely';

export const edxmlDocumentsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('edxml_documents')
      .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id'))
      .addColumn('document_id', 'text', (c) => c.notNull())
      /** JSON array of {organId, timestamp}, as the package had it. */
      .addColumn('traces', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('edxml_documents_document_id').on('edxml_documents').column('document_id').execute();
  },
};
