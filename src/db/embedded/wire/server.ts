/**
 * The TCP side of the embedded engine: accepts connections on a loopback port, frames messages,
 * hands each command to the engine in order and writes its reply. Bad input closes only the
 * connection that sent it; nothing a client sends can stop the server.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { CommandEngine, Document, EngineOptions } from '../types';
import {
  DEPRECATED_OPCODES,
  OP_MSG,
  OP_QUERY,
  ProtocolError,
  checkMessageLength,
  decodeOpMsg,
  decodeOpQuery,
  encodeOpMsg,
  encodeOpReply,
  handshakeCommand,
  readHeader,
} from './protocol';
import { SOCKET_MODE } from './socket-path';

type Log = NonNullable<EngineOptions['log']>;

export interface WireServerOptions {
  host: string;
  port: number;
  /** A Unix socket to listen on instead of host and port (made 0600 before it is announced). */
  socketPath?: string;
  log: Log;
}

export interface WireServer {
  port: number;
  /** Stops accepting, closes every connection and waits for the commands already running. */
  close(): Promise<void>;
}

/** An error reply for a command the engine threw on (the engine normally answers with ok: 0 itself). */
function errorReply(err: unknown): Document {
  const e = err as { message?: string; code?: unknown; codeName?: unknown };
  return {
    ok: 0,
    errmsg: e?.message ?? String(err),
    code: typeof e?.code === 'number' ? e.code : 1,
    codeName: typeof e?.codeName === 'string' ? e.codeName : 'InternalError',
  };
}

let nextRequestId = 1;
function requestId(): number {
  nextRequestId = (nextRequestId % 0x7fffffff) + 1;
  return nextRequestId;
}

class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closed = false;
  /** Commands on one connection run and answer strictly in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: net.Socket,
    private readonly engine: CommandEngine,
    private readonly log: Log,
    private readonly track: (work: Promise<void>) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.destroy()); // resets from clients are normal
    socket.on('close', () => {
      this.closed = true;
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private reject(reason: string): void {
    if (this.closed) return;
    this.log.warn({ remote: `${this.socket.remoteAddress}:${this.socket.remotePort}`, reason }, 'closing connection: malformed message');
    this.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.flatten();
      const length = head.readInt32LE(0);
      try {
        checkMessageLength(length);
      } catch (err) {
        this.reject((err as Error).message);
        return;
      }
      if (this.buffered < length) return;
      const all = this.flatten();
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.onMessage(message);
      if (this.closed) return;
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private onMessage(message: Buffer): void {
    const header = readHeader(message);
    try {
      if (header.opCode === OP_MSG) {
        const { body, moreToCome } = decodeOpMsg(message);
        const db = body.$db;
        this.enqueue(async () => {
          const reply =
            typeof db === 'string' && db !== ''
              ? await this.run(db, body)
              : { ok: 0, errmsg: 'OP_MSG requests require a $db argument', code: 40571, codeName: 'Location40571' };
          if (!moreToCome) this.send(reply, (doc) => encodeOpMsg(doc, requestId(), header.requestID));
        });
      } else if (header.opCode === OP_QUERY) {
        const request = decodeOpQuery(message);
        const command = handshakeCommand(request);
        const db = request.collection.slice(0, request.collection.indexOf('.'));
        this.enqueue(async () => {
          if (command === undefined) {
            const name = Object.keys(request.query)[0] ?? '';
            const reply = {
              ok: 0,
              errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
              code: 352,
              codeName: 'UnsupportedOpQueryCommand',
            };
            this.send(reply, (doc) => encodeOpReply(doc, requestId(), header.requestID, !request.collection.endsWith('.$cmd')));
            return;
          }
          const reply = await this.run(db || 'admin', request.query);
          this.send(reply, (doc) => encodeOpReply(doc, requestId(), header.requestID));
        });
      } else if (DEPRECATED_OPCODES.has(header.opCode)) {
        throw new ProtocolError(`deprecated opcode ${header.opCode}`);
      } else {
        throw new ProtocolError(`unknown opcode ${header.opCode}`);
      }
    } catch (err) {
      if (err instanceof ProtocolError) this.reject(err.message);
      else this.reject(`undecodable message: ${(err as Error).message}`);
    }
  }

  private enqueue(step: () => Promise<void>): void {
    const work = this.queue.then(() => (this.closed ? undefined : step()));
    this.queue = work.catch((err) => this.reject(`failed to answer: ${(err as Error).message}`));
    this.track(this.queue);
  }

  private async run(db: string, body: Document): Promise<Document> {
    try {
      return await this.engine.execute(db, body);
    } catch (err) {
      return errorReply(err);
    }
  }

  /** A reply BSON cannot encode (too large, a bad value) becomes an error reply rather than a dead connection. */
  private send(reply: Document, encode: (doc: Document) => Buffer): void {
    if (this.closed) return;
    let bytes: Buffer;
    try {
      bytes = encode(reply);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'reply could not be encoded');
      bytes = encode(errorReply(err));
    }
    // A client that sends without reading stops being read from until it catches up.
    if (!this.socket.write(bytes) && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }
}

export function startWireServer(engine: CommandEngine, options: WireServerOptions): Promise<WireServer> {
  const connections = new Set<Connection>();
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const server = net.createServer((socket) => {
    const connection = new Connection(socket, engine, options.log, track);
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });
  server.on('error', (err) => options.log.warn({ err: err.message }, 'embedded database listener error'));

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      if (options.socketPath) fs.chmodSync(options.socketPath, SOCKET_MODE);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        async close() {
          const stopped = new Promise<void>((done) => server.close(() => done()));
          for (const connection of connections) connection.destroy();
          await Promise.allSettled([...inFlight]);
          await stopped;
        },
      });
    };
    if (options.socketPath) server.listen(options.socketPath, listening);
    else server.listen(options.port, options.host, listening);
  });
}
