// .docx to PDF through LibreOffice headless (`soffice --headless --convert-to pdf`), when it is installed.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VanthuError } from '../../shared/errors.js';

export interface DocxOptions {
  /** The soffice executable; found on PATH (soffice, libreoffice) when absent. */
  soffice?: string;
  /** PATH to search (default process.env.PATH). */
  searchPath?: string;
  /** LibreOffice's first start builds a profile and can take a while. */
  timeoutMs?: number;
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The LibreOffice command to run, or undefined when none is installed. */
export function findSoffice(options: DocxOptions = {}): string | undefined {
  if (options.soffice) return executable(options.soffice) ? options.soffice : undefined;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  const dirs = (options.searchPath ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (process.platform === 'win32') dirs.push('C:\\Program Files\\LibreOffice\\program');
  if (process.platform === 'darwin') dirs.push('/Applications/LibreOffice.app/Contents/MacOS');
  for (const dir of dirs) for (const name of names) if (executable(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/** Converts `docxFile` to PDF in a temporary folder and returns the PDF's bytes and file name. */
export async function convertDocxToPdf(docxFile: string, options: DocxOptions = {}): Promise<{ pdf: Uint8Array; name: string }> {
  const soffice = findSoffice(options);
  if (!soffice) throw new VanthuError('DRAFT_DOCX_CONVERTER_MISSING');
  const out = await mkdtemp(path.join(tmpdir(), 'vanthu-docx-'));
  const name = `${path.basename(docxFile).replace(/\.docx$/i, '')}.pdf`;
  try {
    // A private profile: a LibreOffice window the user has open would otherwise swallow the request.
    const profile = `-env:UserInstallation=file://${path.join(out, 'profile').replace(/\\/g, '/')}`;
    await new Promise<void>((resolve, reject) => {
      execFile(soffice, [profile, '--headless', '--convert-to', 'pdf', '--outdir', out, docxFile], { timeout: options.timeoutMs ?? 120_000 }, (error, _stdout, stderr) =>
        error ? reject(new VanthuError('DRAFT_DOCX_CONVERSION_FAILED', { name: path.basename(docxFile), detail: stderr.trim() || error.message }, { cause: error })) : resolve(),
      );
    });
    try {
      return { pdf: new Uint8Array(await readFile(path.join(out, name))), name };
    } catch (error) {
      throw new VanthuError('DRAFT_DOCX_CONVERSION_FAILED', { name: path.basename(docxFile), detail: 'no PDF was written / không có tệp PDF được tạo' }, { cause: error });
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
