// `vanthu token list [--module PATH] [--json]`: every token and certificate the modules can reach.
import type { TokenCertificate } from '../../shared/token.js';
import { listTokens, type ModuleReport } from '../../core/token/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommand } from '../output.js';

const ERROR_EXIT_USAGE = new Set(['TOKEN_MODULE_NOT_FOUND', 'TOKEN_MODULE_NOT_LIBRARY', 'TOKEN_MODULE_WRONG_ARCH']);

export async function tokenList(argv: string[]): Promise<number> {
  const { values } = parseCommand({
    args: argv,
    options: { module: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const reports = await listTokens(values.module);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok: reports.every((r) => r.loaded), modules: reports }, null, 2)}\n`);
  } else {
    process.stdout.write(renderReports(reports));
  }
  const failed = reports.find((r) => !r.loaded);
  if (values.module?.length && failed?.error) {
    // With an explicit module, its failure is the command's failure (and bad input when the file is wrong).
    if (!values.json) process.stderr.write(`vanthu: ${failed.error.messageVi}\n${failed.error.messageEn}\n`);
    return ERROR_EXIT_USAGE.has(failed.error.code) ? EXIT_USAGE : EXIT_FAILED;
  }
  return EXIT_OK;
}

const line = (label: string, value: string | undefined): string => (value ? `      ${label}: ${value}\n` : '');

function renderCertificate(entry: TokenCertificate): string {
  const c = entry.certificate;
  const ids = Object.entries(c.vietnameseIds)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const key = c.publicKey.type === 'ec' ? `EC ${c.publicKey.curve}` : `${c.publicKey.type.toUpperCase()} ${c.publicKey.bits}`;
  const privateKey = { present: 'có / present', absent: 'không có / absent', unknown: 'cần đăng nhập để biết / log in to tell' }[entry.privateKey];
  return (
    `    - ${c.subject.commonName ?? c.subject.text}  [id ${entry.id}${entry.label ? `, ${entry.label}` : ''}]\n` +
    line('Chủ thể / Subject', c.subject.text) +
    line('Cấp bởi / Issuer', c.issuer.text) +
    line('Hiệu lực / Valid', `${c.notBefore} → ${c.notAfter}`) +
    line('Khóa / Key', `${key}; khóa bí mật / private key: ${privateKey}`) +
    line('Mục đích / Key usage', c.keyUsage?.join(', ')) +
    line('Định danh / IDs', ids) +
    line('Số sê-ri / Serial', c.serialNumber)
  );
}

export function renderReports(reports: ModuleReport[]): string {
  if (reports.length === 0) return 'Không tìm thấy thư viện USB token nào / No token module is installed.\n';
  let out = '';
  for (const report of reports) {
    out += `${report.path} (${report.vendor})\n`;
    if (!report.loaded) {
      out += `  Lỗi / Error: ${report.error?.messageVi}\n  ${report.error?.messageEn}\n`;
      continue;
    }
    if (report.tokens.length === 0) out += '  Không có token nào được cắm / No token plugged in.\n';
    for (const token of report.tokens) {
      const state = token.flags.userPinLocked ? ' — PIN BỊ KHÓA / PIN LOCKED' : token.flags.userPinFinalTry ? ' — còn 1 lần thử PIN / 1 PIN try left' : '';
      out += `  Token "${token.label}" serial ${token.serial} (${token.manufacturer} ${token.model})${state}\n`;
      if (token.certificates.length === 0) out += '    Không có chứng thư số / No certificates.\n';
      for (const certificate of token.certificates) out += renderCertificate(certificate);
    }
  }
  return out;
}
