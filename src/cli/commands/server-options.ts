// Options shared by the `vanthu server …` commands: the database address and reading certificate files.
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { loadOrCreateReceiptKey, loadReceiptKey, parseDatabaseUrl, type ReceiptKey } from '../../server/index.js';
import { readInput } from '../files.js';
import { VanthuError } from '../../shared/errors.js';
import { usageError } from '../output.js';

/** --db, else DATABASE_URL, else the embedded default next to where the command runs. */
export const databaseUrlOf = (db: string | undefined): string => db ?? process.env.DATABASE_URL ?? 'sqlite:vanthu-server/exchange.db';

/** Every certificate in a PEM (bundles allowed) or DER file. */
export async function readCertificateFile(file: string): Promise<Uint8Array[]> {
  const bytes = await readInput(file);
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = text.includes('-----BEGIN CERTIFICATE-----') ? [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]) : [bytes];
  try {
    return blocks.map((block) => new Uint8Array(new X509Certificate(typeof block === 'string' ? block : Buffer.from(block)).raw));
  } catch (error) {
    throw new VanthuError('BAD_INPUT', { detail: `${file}: not a certificate / không phải chứng thư số (${error instanceof Error ? error.message : String(error)})` });
  }
}

/** The receipt key: --receipt-key, else one kept beside a SQLite database; PostgreSQL needs the file (every process signs with one key). */
export function receiptKeyFor(url: string, file: string | undefined): ReceiptKey {
  if (file) return loadReceiptKey(file);
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') return loadOrCreateReceiptKey(path.join(path.dirname(path.resolve(target.path)), 'receipt-key.pem'));
  throw usageError('--receipt-key KEY.pem is required with PostgreSQL / cần --receipt-key khi dùng PostgreSQL');
}
