// The plain HTTP peer of bench/exchange-send.bench.ts in its own process, like the exchange server: hashes each PUT body and drops it; reports its address, then its CPU time on request (as bench/kit/server-submit-child.ts does).
import { createHash } from 'node:crypto';
import http from 'node:http';

const server = http.createServer((request, response) => {
  const hash = createHash('sha256');
  request.on('data', (chunk: Buffer) => hash.update(chunk));
  request.on('end', () => response.writeHead(201, { etag: hash.digest('hex') }).end());
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', cpu: process.cpuUsage() });
  if (message.type === 'stop') server.close(() => process.exit(0));
});
process.send!({ type: 'ready', address: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
