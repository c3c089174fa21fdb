// `vanthu verify FILE.pdf [--trust CA.pem ...] [--online] [--json]`: the signature report, exit 0 only when every signature is valid.
import { trustStoreFrom } from '../../core/trust/index.js';
import { validatePdf } from '../../core/validation/index.js';
import type { PdfValidationReport, SignatureReport } from '../../shared/validation.js';
import { readInput } from '../files.js';
import { EXIT_FAILED, EXIT_OK, usageError, parseCommand } from '../output.js';

const VERDICT_VI = { valid: 'HỢP LỆ', invalid: 'KHÔNG HỢP LỆ', indeterminate: 'CHƯA XÁC ĐỊNH', unsigned: 'KHÔNG CÓ CHỮ KÝ' } as const;

export async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      online: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw usageError('vanthu verify FILE.pdf [--trust CA.pem ...] [--online] [--json]');
  const file = await readInput(positionals[0]!);
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: true });
  const report = await validatePdf(file, { trust, online: values.online });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.verdict === 'valid' ? EXIT_OK : EXIT_FAILED;
}

function renderSignature(s: SignatureReport): string {
  const who = s.signer ? `${s.signer.subject.commonName ?? s.signer.subject.text}${s.signer.subject.organization ? ` — ${s.signer.subject.organization}` : ''}` : '?';
  const lines = [
    `#${s.index} ${s.kind === 'document-timestamp' ? 'Dấu thời gian tài liệu / document timestamp' : 'Chữ ký / signature'} "${s.fieldName}": ${VERDICT_VI[s.verdict]} / ${s.verdict.toUpperCase()}`,
    `   Người ký / signer: ${who}`,
    `   Chuỗi chứng thư / chain: ${s.chain.path.join(' → ') || '—'}${s.chain.trusted ? ' (tin cậy / trusted)' : ''}`,
    `   Thời điểm ký / signing time: ${s.timestamp?.valid ? `${s.timestamp.time} (dấu thời gian / timestamp)` : `${s.claimedSigningTime ?? '—'} (tự khai / claimed)`}`,
    `   Mức / level: ${s.level} · Toàn vẹn / integrity: ${s.integrity.digestMatches && s.integrity.signatureValid ? 'OK' : 'LỖI / BROKEN'} · Phủ toàn bộ tệp / covers whole file: ${s.coverage.coversWholeFile ? 'có / yes' : `không / no (${s.coverage.laterRevisions} cập nhật sau / later updates)`}`,
    `   Thu hồi / revocation: ${s.revocation.status} (${s.revocation.source})`,
    ...s.findings.map((f) => `   - [${f.severity}] ${f.messageVi}\n     ${f.messageEn}`),
    ...s.modifications.allowed.map((m) => `   · thay đổi được phép / allowed change: ${m}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderReport(report: PdfValidationReport): string {
  const head = `${VERDICT_VI[report.verdict]} / ${report.verdict.toUpperCase()}: ${report.summaryVi}\n${report.summaryEn}\n`;
  return `${head}${report.findings.map((f) => `- ${f.messageVi}\n  ${f.messageEn}\n`).join('')}${report.signatures.map(renderSignature).join('')}`;
}
