import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server that records every request it receives (an internal service an attacker aims at). */
export interface Listener {
  origin: string;
  port: number;
  requests: Array<{ method: string; url: string }>;
  /** Bytes of the answer the server managed to hand to the socket (for answers that are cut off). */
  written: number;
  /** Resolves when the client closed the connection. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startListener(answer: (req: IncomingMessage, res: ServerResponse, listener: Listener) => void): Promise<Listener> {
  let closedResolve!: () => void;
  const listener: Listener = {
    origin: '',
    port: 0,
    requests: [],
    written: 0,
    closed: new Promise<void>((resolve) => (closedResolve = resolve)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    listener.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    res.on('close', () => closedResolve());
    answer(req, res, listener);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  listener.origin = `http://127.0.0.1:${listener.port}`;
  return listener;
}

/** Writes `total` bytes in 64 KiB chunks as fast as the client reads, counting what was handed over. */
export function streamBytes(res: ServerResponse, listener: Listener, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.writeHead(200, { 'Content-Type': 'application/json' }); // no Content-Length: the guard must count
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      listener.written = sent;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}
