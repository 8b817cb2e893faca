import { EventEmitter } from 'node:events';

/** What changed, when the caller knows: the worker enqueues just that before draining. */
export interface WorkScope {
  courseId?: string;
  portfolioIds?: string[];
}

/** In-process only, and only to save a poll interval: workers on other instances find the work by polling. */
const signal = new EventEmitter();
signal.setMaxListeners(50);

export function notifyWorkers(scope?: WorkScope): void {
  signal.emit('work', scope);
}

export function onWork(listener: (scope?: WorkScope) => void): () => void {
  signal.on('work', listener);
  return () => signal.off('work', listener);
}
