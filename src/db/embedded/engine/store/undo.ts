/**
 * The exact inverse of every change one command made in memory, so that a write the journal could not
 * make durable is taken back as if it never happened (a full disk must never leave unsaved text readable).
 * Changes are undone newest first; the store records them, the engine decides when to roll back.
 */
export class UndoLog {
  private readonly steps: Array<() => void> = [];

  record(step: () => void): void {
    this.steps.push(step);
  }

  get empty(): boolean {
    return this.steps.length === 0;
  }

  rollback(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]();
    this.steps.length = 0;
  }
}

/** Where the store finds the current command's log; undefined during replay and between commands. */
export interface UndoScope {
  current?: UndoLog;
}
