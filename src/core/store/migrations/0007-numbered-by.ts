// Migration 7: outgoing documents numbered by another system (a web e-office system through the local signing service), with who numbered them.
import type { Db } from '../db-types.js';

export const version = 7;
export const name = 'numbered-by';

// Why some choices:
// - NULL means our own register's counter gave the number (register_entries holds it). A value is
//   the origin of the system that gave the number (e.g. https://qlvb.caobang.gov.vn): such a
//   document is in the outgoing register with that number but has no register_entries row, so our
//   counter is neither advanced nor blocked by it.
// - A number from elsewhere always comes with its issued date (the register's columns need both).
export function up(db: Db): void {
  db.exec(`
    ALTER TABLE documents ADD COLUMN numbered_by TEXT
      CHECK (numbered_by IS NULL OR (length(numbered_by) BETWEEN 1 AND 512 AND direction = 'outgoing' AND issued_date IS NOT NULL));
  `);
}
