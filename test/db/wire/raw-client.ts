/** A raw-socket MongoDB client for the wire tests: builds messages byte by byte and reads replies. */
import { BSON, type Document } from 'bson';
import net from 'node:net';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

function header(length: number, requestID: number, opCode: number): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestID, 4);
  buf.writeInt32LE(0, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

function cstring(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.alloc(1)]);
}

export function opQuery(requestID: number, ns: string, query: Document): Buffer {
  const rest = Buffer.concat([Buffer.alloc(4), cstring(ns), Buffer.from(new Int32Array([0, -1]).buffer), BSON.serialize(query)]);
  return Buffer.concat([header(16 + rest.length, requestID, OP_QUERY), rest]);
}

export interface OpMsgOptions {
  flags?: number;
  sequences?: Record<string, Document[]>;
  /** Appends a 4-byte checksum trailer and sets checksumPresent (the server strips it). */
  checksum?: boolean;
}

export function opMsg(requestID: number, body: Document, options: OpMsgOptions = {}): Buffer {
  const sections: Uint8Array[] = [Buffer.from([0]), BSON.serialize(body)];
  for (const [id, docs] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([cstring(id), ...docs.map((d) => BSON.serialize(d))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    sections.push(Buffer.from([1]), size, payload);
  }
  let flags = options.flags ?? 0;
  if (options.checksum) flags |= 1;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  const parts = [flagBytes, ...sections];
  if (options.checksum) parts.push(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  const rest = Buffer.concat(parts);
  return Buffer.concat([header(16 + rest.length, requestID, OP_MSG), rest]);
}

export interface Reply {
  requestID: number;
  responseTo: number;
  opCode: number;
  flags: number;
  doc: Document;
}

export function parseReply(msg: Buffer): Reply {
  const opCode = msg.readInt32LE(12);
  const base = { requestID: msg.readInt32LE(4), responseTo: msg.readInt32LE(8), opCode };
  if (opCode === OP_REPLY) {
    const flags = msg.readInt32LE(16);
    const numberReturned = msg.readInt32LE(32);
    if (numberReturned !== 1) throw new Error(`OP_REPLY with ${numberReturned} documents`);
    return { ...base, flags, doc: BSON.deserialize(msg.subarray(36)) };
  }
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    if (msg[20] !== 0) throw new Error(`reply section kind ${msg[20]}`);
    return { ...base, flags, doc: BSON.deserialize(msg.subarray(21)) };
  }
  throw new Error(`unexpected reply opcode ${opCode}`);
}

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next whole reply, or 'closed' if the server closes first, or 'timeout'. */
  async next(timeoutMs = 2000): Promise<Reply | 'closed' | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length >= 4) {
        const length = this.buffered.readInt32LE(0);
        if (this.buffered.length >= length) {
          const msg = this.buffered.subarray(0, length);
          this.buffered = this.buffered.subarray(length);
          return parseReply(Buffer.from(msg));
        }
      }
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async command(requestID: number, body: Document, options?: OpMsgOptions): Promise<Reply> {
    this.send(opMsg(requestID, body, options));
    const reply = await this.next();
    if (typeof reply === 'string') throw new Error(`no reply: ${reply}`);
    return reply;
  }

  end(): void {
    this.socket.destroy();
  }
}
