// Options shared by the `vanthu server …` commands: the database address and reading certificate files.
import { X509Certificate } from 'node:crypto';
import { readInput } from '../files.js';
import { VanthuError } from '../../shared/errors.js';

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
