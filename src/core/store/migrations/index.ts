// The migrations in order: one file each, numbered; add a new file and list it here.
import type { Migration } from '../migrate.js';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-search.js';

export const migrations: readonly Migration[] = [m0001, m0002];
export const latestVersion = migrations.at(-1)?.version ?? 0;
