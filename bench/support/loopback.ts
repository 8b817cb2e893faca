import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
  server: Server;
  url: string;
  /** Ends open keep-alive connections too, so the next measurement starts clean. */
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port; a tool that must know its URL first attaches its app afterwards. */
export async function onLoopback(app?: RequestListener): Promise<Loopback> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
