import type { Writable } from 'node:stream';

/**
 * Streams an upload into storage as it arrives, never holding the whole file: the first bytes are
 * checked before anything is written, the byte budget is enforced while it streams, and a refused
 * or broken upload leaves nothing behind (the partial file is aborted).
 */
export interface UploadSink<Id> {
  id: Id;
  stream: Writable;
  /** Removes whatever was written so far. */
  abort(): Promise<void>;
}

export interface StreamRules<Id> {
  /** How many bytes `check` wants to see (fewer if the file is shorter). */
  headBytes: number;
  /** Throws to refuse the file from its first bytes (type, emptiness); nothing has been stored yet. */
  check(head: Buffer): void;
  /** The most bytes that may be stored, and the error for one byte more. */
  budget: { bytes: number; refuse(): Error };
  open(): UploadSink<Id>;
}

type Source = NodeJS.ReadableStream & { truncated?: boolean };

/**
 * Never destroys the source: on a refusal it stops listening and lets the rest flow past, so the form
 * parser (multer/busboy) can finish reading the request and answer with the refusal.
 */
export function streamToSink<Id>(source: Source, rules: StreamRules<Id>): Promise<{ id: Id; size: number }> {
  return new Promise((resolve, reject) => {
    const head: Buffer[] = [];
    let headLength = 0;
    let sink: UploadSink<Id> | undefined;
    let size = 0;
    let settled = false;
    let ended = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      source.removeListener('data', onData);
      source.removeListener('end', onEnd);
      source.resume(); // drain what is left
      const partial = sink;
      partial?.stream.on('error', () => undefined);
      void (partial ? partial.abort().catch(() => undefined) : Promise.resolve()).then(() => reject(err));
    };
    const write = (chunk: Buffer) => {
      size += chunk.length;
      if (size > rules.budget.bytes) return fail(rules.budget.refuse());
      if (!sink!.stream.write(chunk)) {
        source.pause();
        sink!.stream.once('drain', () => settled || source.resume());
      }
    };
    /** Checks the first bytes, then opens the sink and writes them; false when refused. */
    const start = (): boolean => {
      try {
        rules.check(Buffer.concat(head));
        sink = rules.open();
      } catch (err) {
        fail(err);
        return false;
      }
      sink.stream.once('error', fail);
      for (const chunk of head.splice(0)) {
        write(chunk);
        if (settled) return false;
      }
      return true;
    };
    function onData(data: Buffer | string) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (sink) return write(chunk);
      head.push(chunk);
      headLength += chunk.length;
      if (headLength >= rules.headBytes) start();
    }
    function onEnd() {
      ended = true;
      if (settled) return;
      if (!sink && !start()) return;
      if (source.truncated) return fail(rules.budget.refuse()); // cut short by the form parser's own limit
      sink!.stream.once('finish', () => {
        if (settled) return;
        settled = true;
        resolve({ id: sink!.id, size });
      });
      sink!.stream.end();
    }
    const interrupted = () => fail(new Error('the upload was interrupted before it ended'));
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', fail);
    source.once('close', () => setImmediate(() => settled || ended || interrupted()));
  });
}
