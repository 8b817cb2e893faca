/**
 * The contract between the embedded engine's two halves:
 *  - the command engine (commands, mingo semantics, indexes, cursors), which knows no sockets or files;
 *  - the wire server and the journal (protocol, durability), which know no query semantics.
 * Documents are plain objects as `bson` deserialises them (ObjectId, Long, Binary... instances kept).
 */
import type { Binary } from 'bson';

export type Document = Record<string, unknown>;

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1 | string>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** One durable change; the journal stores these, replay applies them in order. */
export type JournalOp =
  | { op: 'put'; db: string; coll: string; doc: Document } // the whole document after the write
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string; options?: Document }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'collOptions'; db: string; coll: string; options: Document } // collMod: the collection's options after it
  | { op: 'dropDb'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string };

/**
 * Called by the engine with every change a command made, before the command's reply is released.
 * The reply waits for the returned promise: an acknowledged write is on disk.
 */
export type PersistHook = (ops: JournalOp[]) => Promise<void>;

export interface EngineOptions {
  persist?: PersistHook; // absent = in-memory only
  log?: { warn(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void };
  ttlSweepMs?: number; // default 60_000, as MongoDB's TTL monitor
  /** With a data directory: large binary values (GridFS chunks) are kept on disk there, not in the heap. */
  blobs?: BlobKeeper;
}

/** Where the engine keeps large binary values out of the heap (the data directory's blob store). */
export interface BlobKeeper {
  /** A Binary with the same bytes and subtype whose bytes are on disk once the write referring to it is durable. */
  keep(bytes: Uint8Array, subType: number): Binary;
}

/** What the engine holds in the heap, for tests and the benchmark. */
export interface EngineStats {
  /** Bytes of BSON Binary values held in stored documents (small ones, or every one without a data directory). */
  binaryBytesInMemory: number;
  /** Binary values of stored documents whose bytes are on disk, and their total length. */
  binariesOnDisk: number;
  bytesOnDisk: number;
}

export interface CommandEngine {
  /** Runs one command (the OP_MSG body with kind-1 sequences already merged in) and returns MongoDB's reply. */
  execute(db: string, command: Document): Promise<Document>;
  /** Applies one journal op during start-up replay (no persist call). */
  applyOp(op: JournalOp): void;
  /** Every op needed to rebuild the current state from nothing (for snapshots / compaction). */
  snapshotOps(): Iterable<JournalOp>;
  /** Blob files open cursors and replies being sent still read (kept by garbage collection). */
  blobsInUse(): Iterable<string>;
  stats(): EngineStats;
  /** Stops timers (TTL sweep) and cursors. */
  close(): void;
}

export interface EmbeddedServerOptions {
  host?: string; // default 127.0.0.1
  port?: number; // default 0 = any free port
  /** Listen on this Unix socket (mode 0600) and open no TCP port at all. */
  socketPath?: string;
  dataDir?: string | null; // null/undefined = in-memory
  log?: EngineOptions['log'];
}

export interface EmbeddedServer {
  uri: string; // mongodb://127.0.0.1:PORT, or mongodb://%2Fpath%2Fto%2Fmongodb.sock
  port: number; // 0 on a socket
  /** Why writes are refused just now (a full or failing disk), or undefined while they are accepted. */
  refusingWrites(): string | undefined;
  /** What the database holds in the heap and, with a data directory, in its blob files. */
  stats(): EngineStats & { blobFiles: number; blobFileBytes: number; pendingBlobBytes: number };
  close(): Promise<void>;
}
