import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import pinoHttp from 'pino-http';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One log line per request with a request id (ours, or a proxy's X-Request-Id when it looks like one).
 * Only method, path and status are logged: never the query (it carries the ltik), headers or bodies.
 */
export function requestLogger(log: Logger) {
  return pinoHttp({
    logger: log,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      // pino-http's own "failed with status code" error has a stack of its internals: the message is enough
      err: (err: Error) => (/^failed with status code \d+$/.test(err.message) ? { message: err.message } : pino.stdSerializers.err(err)),
    },
    // 503: the database refusing writes (a full disk), logged once where it starts, not as an error per request
    customLogLevel: (_req, res, err) => (err || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
