/**
 * MongoDB wire protocol framing: the 16-byte header, OP_QUERY (only for the legacy handshake),
 * OP_MSG for every command, OP_REPLY and OP_MSG replies. Pure functions over Buffers; no sockets.
 */
import { BSON } from 'bson';
import { decodeDocument } from '../bson-decode';
import type { Document } from '../types';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
/** Opcodes removed from MongoDB (OP_UPDATE ... OP_KILL_CURSORS, OP_COMMAND*, OP_COMPRESSED we never offer). */
export const DEPRECATED_OPCODES = new Set([2001, 2002, 2003, 2005, 2006, 2007, 2010, 2011, 2012]);

export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are required: a flag there we do not know must be refused, as mongod does. */
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | EXHAUST_ALLOWED;

export const SERIALIZE_OPTIONS = { ignoreUndefined: true } as const;

export interface MessageHeader {
  messageLength: number;
  requestID: number;
  responseTo: number;
  opCode: number;
}

/** Bad input from a client: the connection that sent it is closed. */
export class ProtocolError extends Error {}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestID: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

export function checkMessageLength(length: number): void {
  if (length < HEADER_SIZE + 4 || length > MAX_MESSAGE_SIZE) {
    throw new ProtocolError(`invalid message length ${length}`);
  }
}

/** Reads one BSON document at `offset`, checking that its declared size fits inside `end`. */
function readDocument(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`bad BSON document size ${size}`);
  try {
    const doc = decodeDocument(buf.subarray(offset, offset + size)); // one decoding for every client (bson-decode.ts)
    return { doc, next: offset + size };
  } catch (err) {
    throw new ProtocolError(`bad BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

export interface OpMsgRequest {
  body: Document;
  moreToCome: boolean;
}

/** Decodes a whole OP_MSG (header included): kind-1 document sequences are merged into the body. */
export function decodeOpMsg(msg: Buffer): OpMsgRequest {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_FLAGS) !== 0) throw new ProtocolError(`unknown required OP_MSG flag bits ${flags}`);
  let end = msg.length;
  if (flags & CHECKSUM_PRESENT) {
    end -= 4;
    if (end < HEADER_SIZE + 4) throw new ProtocolError('OP_MSG too short for its checksum');
  }
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = msg[offset];
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with two body sections');
      const read = readDocument(msg, offset, end);
      body = read.doc;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`bad document sequence size ${size}`);
      const id = readCString(msg, offset + 4, sectionEnd);
      const docs: Document[] = [];
      let at = id.next;
      while (at < sectionEnd) {
        const read = readDocument(msg, at, sectionEnd);
        docs.push(read.doc);
        at = read.next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) {
    const existing = body[identifier];
    body[identifier] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  return { body, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

export interface OpQueryRequest {
  collection: string;
  query: Document;
}

export function decodeOpQuery(msg: Buffer): OpQueryRequest {
  let offset = HEADER_SIZE + 4; // flags are irrelevant to a handshake
  const name = readCString(msg, offset, msg.length);
  offset = name.next + 8; // numberToSkip, numberToReturn
  let { doc: query } = readDocument(msg, offset, msg.length);
  // Some clients wrap the command with read preference: { $query: {...}, $readPreference: ... }.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { collection: name.value, query };
}

function header(length: number, requestID: number, responseTo: number, opCode: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestID, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

export function encodeOpMsg(reply: Document, requestID: number, responseTo: number): Buffer {
  const body = BSON.serialize(reply, SERIALIZE_OPTIONS);
  const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([header(HEADER_SIZE + 5 + body.length, requestID, responseTo, OP_MSG), prefix, body]);
}

const QUERY_FAILURE = 1 << 1;

export function encodeOpReply(reply: Document, requestID: number, responseTo: number, queryFailure = false): Buffer {
  const doc = BSON.serialize(reply, SERIALIZE_OPTIONS);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64 0), startingFrom, numberReturned
  fields.writeInt32LE(queryFailure ? QUERY_FAILURE : 0, 0);
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(HEADER_SIZE + 20 + doc.length, requestID, responseTo, OP_REPLY), fields, doc]);
}

const HANDSHAKES = new Set(['hello', 'ismaster', 'isMaster']);

/** The name of a legacy handshake command, or undefined when the OP_QUERY is anything else. */
export function handshakeCommand(request: OpQueryRequest): string | undefined {
  if (!request.collection.endsWith('.$cmd')) return undefined;
  const first = Object.keys(request.query)[0];
  return first !== undefined && HANDSHAKES.has(first) ? first : undefined;
}
