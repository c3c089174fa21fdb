// `vanthu inbox`: pull, verify every file locally, store and register each document, reply its status, then ack.
import { pullInbox, syncDirectory, type PullOptions } from '../../core/exchange/index.js';
import { trustStoreFrom } from '../../core/trust/index.js';
import { EXIT_FAILED, EXIT_OK, usageError, parseCommand } from '../output.js';
import { heldReasonText } from '../../shared/held-reason.js';
import { defaultDataDir } from './inbox-data-dir.js';
import { connect, connectionOptions, storeFor } from './send.js';

const REPLIES = ['none', 'arrived', 'accepted'] as const;

function parse(argv: string[]) {
  return parseCommand({
    args: argv,
    allowPositionals: false,
    options: {
      ...connectionOptions,
      reply: { type: 'string', default: 'arrived' },
      trust: { type: 'string', multiple: true },
      offline: { type: 'boolean', default: false },
    },
  });
}

export async function inbox(argv: string[]): Promise<number> {
  const { values } = parse(argv);
  if (!REPLIES.includes(values.reply as PullOptions['autoReply'])) throw usageError(`--reply must be one of ${REPLIES.join(', ')}`);
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: true });
  // Never a temporary folder: what is acked must stay somewhere.
  const dataDir = values.data ?? defaultDataDir();
  const { client, logout } = await connect(values);
  const { store, dispose } = storeFor(dataDir);
  try {
    await syncDirectory(client, store.db);
    const result = await pullInbox(client, store, { trust, online: !values.offline, autoReply: values.reply as PullOptions['autoReply'] });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ok: result.rejected.length === 0 && result.deferred.length === 0, dataDir, ...result }, null, 2)}\n`);
    } else {
      for (const s of result.stored) process.stdout.write(`Đã nhận / stored: ${s.messageId} → văn bản đến số ${s.arrivalNumber} (document ${s.documentId})\n`);
      for (const r of result.recalled) process.stdout.write(`Thu hồi / recalled: ${r.original}${r.documentId === null ? '' : ` (document ${r.documentId}: ${r.state})`}\n`);
      for (const r of result.rejected) process.stdout.write(`Từ chối / rejected (02): ${r.messageId}: ${r.reason}\n`);
      for (const h of result.held) {
        process.stdout.write(`Cần kiểm tra lại / held for a re-check (01 only): ${h.messageId} (document ${h.documentId}): ${heldReasonText(h.reason, 'indeterminate', 'vi')} / ${heldReasonText(h.reason, 'indeterminate', 'en')}\n`);
      }
      for (const c of result.rechecked?.cleared ?? []) process.stdout.write(`Kiểm tra lại: hợp lệ / re-checked, valid: document ${c.documentId}${c.accepted ? ' (03)' : ''}\n`);
      for (const i of result.rechecked?.markedInvalid ?? []) process.stdout.write(`Kiểm tra lại: không hợp lệ, chờ văn thư quyết định / re-checked, invalid, left to the clerk: document ${i.documentId}: ${i.reason}\n`);
      for (const d of result.deferred) process.stdout.write(`Để lần sau / left for the next pull: ${d.messageId}: ${d.reason}\n`);
      if (result.stored.length + result.recalled.length + result.rejected.length + result.held.length + result.deferred.length === 0) process.stdout.write('Không có văn bản mới / no new documents\n');
    }
    return result.rejected.length === 0 && result.deferred.length === 0 ? EXIT_OK : EXIT_FAILED;
  } finally {
    dispose();
    await logout();
  }
}
