// Registers printed or exported and verification reports, saved into <dataDir>/exports/ (the path is shown) and returned as bytes to save elsewhere.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportRegister, printRegister, printVerificationReport, readRegister } from '../../../core/registers/index.js';
import { listFiles, type Store } from '../../../core/store/index.js';
import type { TrustStore } from '../../../core/trust/index.js';
import { validatePdf } from '../../../core/validation/index.js';
import { VanthuError } from '../../../shared/errors.js';
import type { IpcRequest, IpcResponse } from '../../../shared/ipc-contract.js';

type Saved = IpcResponse<'registers.export'>;

/** A name without folders or characters a file system refuses; accents kept (every system today stores them). */
const safeName = (name: string): string =>
  [...name]
    .map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/u, '_')
    .slice(0, 180);

/** Writes into exports/ under a name not taken yet ("x (2).pdf"), through a temporary file: a crash leaves no half file under the real name. */
export function saveExport(dataDir: string, fileName: string, bytes: Uint8Array): Saved {
  const dir = path.join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const { name, ext } = path.parse(safeName(fileName));
  let target = path.join(dir, `${name}${ext}`);
  for (let n = 2; existsSync(target); n++) target = path.join(dir, `${name} (${n})${ext}`);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, bytes, { mode: 0o600 });
  renameSync(temp, target);
  return { fileName: path.basename(target), savedPath: target, contentBase64: Buffer.from(bytes).toString('base64') };
}

export async function exportRegisterFile(store: Store, request: IpcRequest<'registers.export'>): Promise<Saved> {
  const period = 'year' in request ? { year: request.year } : { from: request.from, to: request.to };
  const sheet = readRegister(store.db, request.kind, period);
  const bytes = request.format === 'pdf' ? await printRegister(sheet) : await exportRegister(sheet);
  const which = request.kind === 'outgoing' ? 'so-van-ban-di' : 'so-van-ban-den';
  const when = 'year' in request ? String(request.year) : `${request.from}_${request.to}`;
  return saveExport(store.dataDir, `${which}-${when}.${request.format}`, bytes);
}

export interface ReportSources {
  trust: TrustStore;
  aiaCacheDir?: string | undefined;
}

export async function verificationReportFile(store: Store, request: IpcRequest<'reports.verification'>, sources: ReportSources): Promise<Saved> {
  let name: string;
  let bytes: Uint8Array;
  if ('documentId' in request) {
    const file = listFiles(store.db, request.documentId).find((f) => f.id === request.fileId);
    const latest = file?.revisions.at(-1);
    if (file === undefined || latest === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: `file of document ${request.documentId}`, id: request.fileId });
    name = file.name;
    bytes = store.blobs.read(latest.sha256);
  } else {
    name = request.name;
    bytes = new Uint8Array(Buffer.from(request.contentBase64, 'base64'));
  }
  const checkedAt = new Date();
  const report = await validatePdf(bytes, { trust: sources.trust, online: true, revocationTimeoutMs: 5_000, aiaCacheDir: sources.aiaCacheDir });
  const pdf = await printVerificationReport(report, { fileName: name, checkedAt });
  return saveExport(store.dataDir, `bao-cao-kiem-tra-${path.parse(safeName(name)).name}.pdf`, pdf);
}
