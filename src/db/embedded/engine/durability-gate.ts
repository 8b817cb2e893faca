/**
 * Reads never see a write that is not yet durable, and a write the journal refused leaves no trace.
 *
 * Writes change memory at once (so concurrent saves still share one fdatasync) and are held in
 * flight until the journal answers. A read waits until nothing is in flight; writes arriving behind a
 * waiting read wait too, so reads are never starved. When the journal refuses a write it refuses every
 * write after it as well (one append order), so the failed write and all later ones are undone, newest
 * first, restoring memory exactly as it was before the failed write.
 */
import { UndoLog } from './store/undo';

export type CommandKind = 'read' | 'write';

interface InFlight {
  undo: UndoLog;
  failed: boolean;
  settled: Promise<boolean>; // true when durable
  settle(durable: boolean): void;
}

export class DurabilityGate {
  private admittedWrites = 0; // past the gate and not yet settled
  private readonly inFlight: InFlight[] = [];
  private readonly waiting: Array<{ kind: CommandKind; wake(): void }> = [];

  /** Resolves when a command of this kind may run; a write counts as in flight from here on. */
  enter(kind: CommandKind): Promise<void> | undefined {
    if (this.waiting.length === 0 && this.mayRun(kind)) {
      if (kind === 'write') this.admittedWrites++;
      return undefined;
    }
    return new Promise((wake) => {
      this.waiting.push({ kind, wake });
    });
  }

  /** Starts a write's in-memory changes; call synchronously with running its handler. */
  begin(): { undo: UndoLog; earlier: Promise<boolean>[]; entry: InFlight } {
    const earlier = this.inFlight.filter((w) => !w.failed).map((w) => w.settled);
    let settle!: (durable: boolean) => void;
    const settled = new Promise<boolean>((resolve) => (settle = resolve));
    const entry: InFlight = { undo: new UndoLog(), failed: false, settled, settle };
    this.inFlight.push(entry);
    return { undo: entry.undo, earlier, entry };
  }

  /** The write is on disk (or had nothing to write and everything it saw is on disk). */
  durable(entry: InFlight): boolean {
    if (entry.failed) return false; // undone because an earlier write failed
    this.finish(entry, true);
    return true;
  }

  /** The journal refused this write: it and every later write are undone, newest first. */
  refused(entry: InFlight): void {
    const at = this.inFlight.indexOf(entry);
    if (at >= 0) {
      for (let i = this.inFlight.length - 1; i >= at; i--) {
        const w = this.inFlight[i];
        if (w.failed) continue;
        w.failed = true;
        w.undo.rollback();
      }
    }
    this.finish(entry, false);
  }

  /** A write that never reached memory (refused before it ran). */
  leaveWrite(): void {
    this.admittedWrites--;
    this.pump();
  }

  private finish(entry: InFlight, durable: boolean): void {
    const at = this.inFlight.indexOf(entry);
    if (at >= 0) this.inFlight.splice(at, 1);
    entry.settle(durable);
    this.leaveWrite();
  }

  private mayRun(kind: CommandKind): boolean {
    return kind === 'write' || this.admittedWrites === 0;
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.mayRun(this.waiting[0].kind)) {
      const next = this.waiting.shift()!;
      if (next.kind === 'write') this.admittedWrites++;
      next.wake();
    }
  }
}
