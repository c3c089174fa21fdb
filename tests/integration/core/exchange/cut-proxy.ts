// A loopback TCP proxy that cuts the connection carrying the client's byte N (once), or swallows the answer to one request (the lost ack).
import net from 'node:net';

export interface CutProxy {
  url: string;
  /** Client-to-server bytes forwarded so far (requests, headers included). */
  upBytes: () => number;
  /** True once the cut happened. */
  cut: () => boolean;
  close: () => Promise<void>;
}

export interface CutProxyOptions {
  /** 0 (default) picks a free one; give the old port to bring a closed proxy back where the client expects it. */
  port?: number;
  /** The first request whose text matches reaches the server, but its answer is dropped and the connection closed. */
  dropFirstResponseTo?: RegExp;
}

export async function startCutProxy(target: { host: string; port: number }, cutAfterBytes: number, options: CutProxyOptions = {}): Promise<CutProxy> {
  const port = options.port ?? 0;
  let up = 0;
  let didCut = false;
  let dropArmed = options.dropFirstResponseTo !== undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    let swallow = false;
    client.on('data', (data: Buffer) => {
      if (dropArmed && options.dropFirstResponseTo!.test(data.toString('latin1'))) {
        dropArmed = false;
        swallow = true;
        didCut = true;
      }
      if (!didCut && up + data.length > cutAfterBytes) {
        // Forward up to the cut, then drop both sides mid-request: the server sees a short body.
        const keep = cutAfterBytes - up;
        didCut = true;
        up += keep;
        upstream.write(data.subarray(0, keep), drop);
        return;
      }
      up += data.length;
      upstream.write(data);
    });
    // The server has committed by the time it answers: dropping the answer is the lost-ack case.
    upstream.on('data', (data: Buffer) => (swallow ? drop() : client.write(data)));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    upBytes: () => up,
    cut: () => didCut,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
