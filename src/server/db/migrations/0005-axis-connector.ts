// The national axis connector's state: agencies known through the axis, packages to send (with their attempts), packages taken from it.
import type { Kysely, Migration } from 'kysely';

export const axisConnectorMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Agencies the axis directory lists that are not on this server: messages to them go through the axis.
    await db.schema
      .createTable('axis_agencies')
      .addColumn('organ_id', 'text', (c) => c.primaryKey().references('agencies.organ_id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('synced_at', 'text', (c) => c.notNull())
      .execute();
    // One row per package to send: "edoc:<message id>" or "status:<event id>"; inserted once, whatever the restarts.
    await db.schema
      .createTable('axis_outgoing')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('axis_doc_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('axis_outgoing_due').on('axis_outgoing').columns(['state', 'next_attempt_at']).execute();
    // Packages taken from the axis and what became of them (the axis lists a package until it is acknowledged).
    await db.schema
      .createTable('axis_incoming')
      .addColumn('axis_doc_id', 'text', (c) => c.primaryKey())
      .addColumn('message_type', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
