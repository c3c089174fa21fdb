// The migrations in order: one file each, numbered; add a new file and list it here.
import type { Migration } from '../migrate.js';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-search.js';
import * as m0003 from './0003-outbox.js';
import * as m0004 from './0004-drafts.js';
import * as m0005 from './0005-exchange.js';
import * as m0006 from './0006-incoming-checks.js';
import * as m0007 from './0007-numbered-by.js';
import * as m0008 from './0008-revocation-cache.js';
import * as m0009 from './0009-incoming-steps.js';

export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009];
export const latestVersion = migrations.at(-1)?.version ?? 0;
