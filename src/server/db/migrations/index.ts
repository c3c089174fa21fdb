// The server's migrations in order, built for one dialect (only column types for bytes and auto-increment differ).
import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialectName } from '../dialect.js';
import { initialMigration } from './0001-initial.js';
import { certificateRulesMigration } from './0002-certificate-rules.js';
import { blobChunksMigration } from './0003-blob-chunks.js';
import { edxmlDocumentsMigration } from './0004-edxml-documents.js';
import { axisConnectorMigration } from './0005-axis-connector.js';
import { pendingSubmissionsMigration } from './0006-pending-submissions.js';
import { pendingEdxmlMigration } from './0007-pending-edxml.js';
import { revocationCacheMigration } from './0008-revocation-cache.js';
import { caCertificatesMigration } from './0009-ca-certificates.js';
import { duplicateNumberIndexMigration } from './0010-duplicate-number-index.js';
import { lookupIndexesMigration } from './0011-lookup-indexes.js';

export function serverMigrations(dialect: SqlDialectName): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-initial': initialMigration(dialect),
    '0002-certificate-rules': certificateRulesMigration,
    '0003-blob-chunks': blobChunksMigration(dialect),
    '0004-edxml-documents': edxmlDocumentsMigration,
    '0005-axis-connector': axisConnectorMigration,
    '0006-pending-submissions': pendingSubmissionsMigration,
    '0007-pending-edxml': pendingEdxmlMigration,
    '0008-revocation-cache': revocationCacheMigration(dialect),
    '0009-ca-certificates': caCertificatesMigration(dialect),
    '0010-duplicate-number-index': duplicateNumberIndexMigration(dialect),
    '0011-lookup-indexes': lookupIndexesMigration,
  };
  return { getMigrations: async () => migrations };
}
