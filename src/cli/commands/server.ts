// `vanthu server [--db sqlite:PATH|postgres://…] [--port N] [--host H] [--trust CA.pem …]`: runs the exchange server until SIGINT/SIGTERM.
import { trustStoreFrom } from '../../core/trust/index.js';
import { readFileSync } from 'node:fs';
import { applyBootstrap, AxisConnector, buildServer, closeGracefully, openServerDatabase, resolveConfig, tuneHeapForServer, type ServerConfig } from '../../server/index.js';
import { VanthuError } from '../../shared/errors.js';
import { EXIT_OK, usageError, parseCommand } from '../output.js';
import { databaseUrlOf, receiptKeyFor } from './server-options.js';

export async function server(argv: string[]): Promise<number> {
  const { values } = parseCommand({
    args: argv,
    options: {
      db: { type: 'string' },
      port: { type: 'string', default: '8443' },
      host: { type: 'string', default: '127.0.0.1' },
      trust: { type: 'string', multiple: true },
      origin: { type: 'string' },
      'receipt-key': { type: 'string' },
      bootstrap: { type: 'string' },
      'no-bundled-trust': { type: 'boolean', default: false },
      'revocation-best-effort': { type: 'boolean', default: false },
      'drain-timeout': { type: 'string', default: '30' },
      'axis-endpoint': { type: 'string' },
      'axis-system-id': { type: 'string' },
      'axis-secret-file': { type: 'string' },
      'axis-poll-seconds': { type: 'string', default: '30' },
      'verify-threads': { type: 'string', default: 'auto' },
    },
    strict: true,
  });
  const drainSeconds = Number(values['drain-timeout']);
  if (!Number.isFinite(drainSeconds) || drainSeconds < 0) throw usageError(`--drain-timeout ${values['drain-timeout']}: seconds, 0 or more`);
  const threads = values['verify-threads'] === 'auto' ? 'auto' : Number(values['verify-threads']);
  if (threads !== 'auto' && (!Number.isInteger(threads) || threads < 0 || threads > 256)) throw usageError(`--verify-threads ${values['verify-threads']}: auto or 0 to 256`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${values.port}`);
  const url = databaseUrlOf(values.db);
  const receiptKey = receiptKeyFor(url, values['receipt-key']);
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: !values['no-bundled-trust'] });
  if (trust.roots.length === 0) throw new VanthuError('BAD_USAGE', { detail: 'no trust roots / không có chứng thư gốc tin cậy' });

  const axis = axisSettings(values);
  // This process is the server and nothing else: its collector set for the server's load (heap-tuning.ts).
  tuneHeapForServer();
  const database = await openServerDatabase(url);
  if (values.bootstrap) {
    try {
      const result = await applyBootstrap(database.db, values.bootstrap);
      process.stdout.write(`vanthu server: bootstrap ${result.added.length} cơ quan mới / new agencies, ${result.bound} chứng thư / certificates\n`);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  const serverConfig: ServerConfig = {
    database,
    trust,
    receiptKey,
    origin: values.origin ?? `http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${port}`,
    revocation: { online: true, requireKnown: !values['revocation-best-effort'] },
    verification: { threads },
    logger: { level: process.env.VANTHU_LOG_LEVEL ?? 'info', stream: process.stderr },
  };
  const app = await buildServer(serverConfig);
  let address: string;
  try {
    address = await app.listen({ port, host: values.host });
  } catch (error) {
    await database.close();
    throw error;
  }
  process.stdout.write(`vanthu server: ${address} (${database.label}) — Ctrl+C để dừng / to stop\n`);
  // The axis connector, when configured: its log lines carry what it did, never the secret.
  const connector = axis
    ? new AxisConnector(resolveConfig(serverConfig), { ...axis, log: (level, message, fields) => app.log[level]({ axis: fields }, message) })
    : undefined;
  if (connector) {
    connector.start();
    process.stdout.write(`vanthu server: nối Trục / axis connector on ${axis!.endpoint} as ${axis!.systemId}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('vanthu server: đang dừng / stopping (requests in flight finish first)\n');
  // A second signal means "now": the connections still open are cut (nothing committed is lost, see closeGracefully).
  const now = (): void => app.server.closeAllConnections();
  process.on('SIGINT', now);
  process.on('SIGTERM', now);
  await connector?.stop();
  const outcome = await closeGracefully(app, database, drainSeconds * 1000);
  process.stdout.write(`vanthu server: đã dừng / stopped${outcome === 'timed-out' ? ` (hết ${drainSeconds} s chờ / drain timeout)` : ''}\n`);
  return EXIT_OK;
}

/** The axis settings from the options, or undefined when the connector is off (no endpoint). */
function axisSettings(values: { 'axis-endpoint'?: string; 'axis-system-id'?: string; 'axis-secret-file'?: string; 'axis-poll-seconds'?: string }): { endpoint: string; systemId: string; secret: string; pollIntervalMs: number } | undefined {
  const endpoint = values['axis-endpoint'];
  if (!endpoint) return undefined;
  if (!/^https?:\/\//.test(endpoint)) throw usageError(`--axis-endpoint ${endpoint}: an http(s) URL`);
  const systemId = values['axis-system-id'];
  if (!systemId) throw usageError('--axis-endpoint needs --axis-system-id');
  const secret = (values['axis-secret-file'] ? readFileSync(values['axis-secret-file'], 'utf8') : (process.env.VANTHU_AXIS_SECRET ?? '')).trim();
  if (!secret) throw usageError('the axis secret: --axis-secret-file FILE or $VANTHU_AXIS_SECRET / cần khóa bí mật của Trục');
  const seconds = Number(values['axis-poll-seconds']);
  if (!Number.isFinite(seconds) || seconds < 1) throw usageError(`--axis-poll-seconds ${values['axis-poll-seconds']}: 1 or more`);
  return { endpoint, systemId, secret, pollIntervalMs: seconds * 1000 };
}
