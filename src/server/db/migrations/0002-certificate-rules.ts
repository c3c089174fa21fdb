// Certificate rules: an agency or person recognised by issuing CA and a subject attribute, so renewed certificates need no new binding.
import type { Kysely, Migration } from 'kysely';

export const certificateRulesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('certificate_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organ_id', 'text', (c) => c.notNull().references('agencies.organ_id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject_attribute', 'text', (c) => c.notNull())
      .addColumn('subject_value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('certificate_rules_match', ['issuer', 'subject_attribute', 'subject_value'])
      .execute();
    await db.schema.alterTable('sessions').addColumn('rule_id', 'text').execute();
  },
};
