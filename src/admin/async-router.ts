import express, { NextFunction, Request, RequestHandler, Response, Router } from 'express';

/** Express 4 does not catch rejected promises; this router sends them to the error handler instead. */
export function asyncRouter(): Router {
  const router = express.Router();
  for (const method of ['get', 'post'] as const) {
    const original = router[method].bind(router) as (path: string, ...handlers: RequestHandler[]) => Router;
    (router as unknown as Record<string, unknown>)[method] = (path: string, ...handlers: RequestHandler[]) =>
      original(path, ...handlers.map(caught));
  }
  return router;
}

function caught(handler: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = handler(req, res, next) as unknown;
      if (result && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(next);
    } catch (err) {
      next(err);
    }
  };
}
