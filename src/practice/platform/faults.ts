import type { Request, Response } from 'express';

/** One planned misbehaviour for the next request of a service. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang'; ms?: number } // no answer for ms (or until the platform stops), then a 504
  | { kind: 'delay'; ms: number }; // answers normally, ms late

/**
 * Faults waiting for the next requests of one service (token, AGS, NRPS). Each request takes at most
 * one; what is left stays for the next request.
 */
export class FaultQueue {
  private queue: Fault[] = [];
  readonly hanging = new Set<Response>();

  add(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.queue.push(fault);
  }

  /** Answer 500 (or `status`) to the next `times` requests. */
  failNext(times = 1, status = 500, body: unknown = { error: 'server_error', error_description: 'Injected failure' }): void {
    this.add({ kind: 'status', status, body }, times);
  }

  /** Do not answer the next `times` requests for `ms` (default: until the platform stops). */
  hangNext(times = 1, ms?: number): void {
    this.add({ kind: 'hang', ms }, times);
  }

  /** Answer the next `times` requests normally but `ms` late. */
  delayNext(times = 1, ms = 1000): void {
    this.add({ kind: 'delay', ms }, times);
  }

  /** Answer 429 with Retry-After (seconds) to the next `times` requests. */
  rateLimitNext(times = 1, retryAfterSeconds = 1): void {
    this.add(
      { kind: 'status', status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, body: { error: 'rate_limited' } },
      times,
    );
  }

  clear(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.length;
  }

  take(): Fault | undefined {
    return this.queue.shift();
  }

  /** Takes the next fault and applies it; true when the request has been answered (or is hanging). */
  async gate(req: Request, res: Response): Promise<boolean> {
    const fault = this.take();
    if (!fault) return false;
    if (fault.kind === 'delay') {
      await new Promise((r) => setTimeout(r, fault.ms));
      return false;
    }
    return this.apply(fault, req, res);
  }

  /** Applies a status or hang fault; answers true when the request has been dealt with. */
  apply(fault: Fault, req: Request, res: Response): boolean {
    if (fault.kind === 'status') {
      for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
      res.status(fault.status).json(fault.body ?? { error: 'injected' });
      return true;
    }
    if (fault.kind === 'hang') {
      this.hanging.add(res);
      const done = () => this.hanging.delete(res);
      req.on('close', done);
      if (fault.ms !== undefined) {
        setTimeout(() => {
          done();
          if (!res.headersSent && !res.writableEnded) res.status(504).json({ error: 'injected_timeout' });
        }, fault.ms).unref();
      }
      return true;
    }
    return false;
  }
}
