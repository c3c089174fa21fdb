// First schema of the exchange server: directory, login, blobs, messages, deliveries, status and the audit chain.
import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../dialect.js';

/** Genesis hash of the audit chain: 64 zeros. */
export const AUDIT_GENESIS = '0'.repeat(64);

export function initialMigration(dialect: SqlDialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  // Auto-increment spelled per dialect; everything else is portable.
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('agencies')
        .addColumn('organ_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent', 'text', (c) => c.references('agencies.organ_id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('certificate_bindings')
        .addColumn('cert_sha256', 'text', (c) => c.primaryKey())
        .addColumn('organ_id', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('challenges')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_sha256', 'text', (c) => c.primaryKey())
        .addColumn('organ_id', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addColumn('cert_sha256', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('blob_grants')
        .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
        .addColumn('organ_id', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addPrimaryKeyConstraint('blob_grants_pk', ['sha256', 'organ_id'])
        .execute();
      await db.schema
        .createTable('uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organ_id', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addColumn('length', 'integer', (c) => c.notNull())
        .addColumn('offset', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('upload_chunks')
        .addColumn('upload_id', 'text', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
        .addColumn('offset', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('upload_chunks_pk', ['upload_id', 'offset'])
        .execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sender', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('in_reply_to', 'text', (c) => c.references('messages.id'))
        .addColumn('envelope', 'text', (c) => c.notNull())
        .addColumn('envelope_sha256', 'text', (c) => c.notNull())
        .addColumn('receipt', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('message_files')
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_files_pk', ['message_id', 'position'])
        .execute();
      await db.schema.createIndex('message_files_sha256').on('message_files').column('sha256').execute();
      await db.schema
        .createTable('deliveries')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('recipient', 'text', (c) => c.notNull().references('agencies.organ_id'))
        .addColumn('status', 'text')
        .addColumn('status_before_recall', 'text')
        .addColumn('first_delivered_at', 'text')
        .addColumn('delivery_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('acked_at', 'text')
        .addUniqueConstraint('deliveries_message_recipient', ['message_id', 'recipient'])
        .execute();
      await db.schema.createIndex('deliveries_inbox').on('deliveries').columns(['recipient', 'acked_at', 'seq']).execute();
      await db.schema
        .createTable('status_events')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('by_organ', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_events_message').on('status_events').column('message_id').execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('organ_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await (db as Kysely<{ audit_head: { id: number; seq: number; hash: string } }>)
        .insertInto('audit_head')
        .values({ id: 1, seq: 0, hash: AUDIT_GENESIS })
        .execute();
    },
  };
}
