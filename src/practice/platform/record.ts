import type { Request } from 'express';
import type { RecordedCall } from './types';

/** What a test may want to know about a request: method, URL, headers and the parsed body. */
export function recordOf(req: Request): RecordedCall {
  return {
    at: Date.now(),
    method: req.method,
    url: req.originalUrl,
    path: req.path,
    query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
    headers: { ...req.headers },
    body: req.body,
  };
}
