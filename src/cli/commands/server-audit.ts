// `vanthu server audit verify [--db …] [--json]`: walks the hash-chained audit log; exit 1 when it is broken.
import { openServerDatabase, verifyAuditLog } from '../../server/index.js';
import { VanthuError } from '../../shared/errors.js';
import { EXIT_FAILED, EXIT_OK, parseCommand } from '../output.js';
import { databaseUrlOf } from './server-options.js';

export async function serverAuditVerify(argv: string[]): Promise<number> {
  const { values } = parseCommand({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const database = await openServerDatabase(databaseUrlOf(values.db));
  try {
    const result = await verifyAuditLog(database.db);
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) process.stdout.write(`Nhật ký kiểm toán nguyên vẹn / audit log intact: ${result.entries} mục / entries, head ${result.head}\n`);
    else process.stderr.write(`vanthu: ${new VanthuError('SERVER_AUDIT_BROKEN', { seq: result.seq, detail: result.detail }).bilingual}\n`);
    return result.ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    await database.close();
  }
}
