import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { LANDING_PAGES, type AppRole } from '../people/roles';
import { isWriteRefusal } from '../db';
import { AppError, notFound } from './errors';

const HEADINGS: Record<number, string> = {
  400: 'Something in that request was not right',
  401: 'Please sign in again',
  403: 'You do not have access to this',
  404: 'Page not found',
  409: 'That has changed since you opened it',
  503: 'That could not be saved just now',
  413: 'That file is too large',
  422: 'Please check what you entered',
};
/** A way on from an error page, for someone signed in through a launch: their own start page. */
const HOME_LABELS: Partial<Record<AppRole, string>> = {
  candidate: 'Back to my portfolio',
  mentor: 'Back to my candidates',
  coordinator: 'Back to the cohort',
};

function homeLink(res: Response): { href: string; label: string } | undefined {
  const role = (res.locals.who as { role?: AppRole } | undefined)?.role;
  const url = res.locals.url as ((path: string) => string) | undefined;
  const label = role ? HOME_LABELS[role] : undefined;
  return role && url && label ? { href: url(LANDING_PAGES[role]), label } : undefined;
}

const INTERNAL = 'Something went wrong on our side. Please try again; if it keeps happening, tell the support team the reference below.';

/** The database refused a write (its disk is full or failing): a 503 that says the person's text is safe. */
function notSaved(json: boolean): AppError {
  return json
    ? new AppError(503, 'not_saved', 'Your text could not be saved on the server; it is kept on this computer. Try again in a few minutes.')
    : new AppError(503, 'not_saved', 'The server cannot store changes just now, so nothing was changed. Go back to keep what you entered, and try again in a few minutes.');
}

/** JSON for fetch calls and API clients; a page for everyone else. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json' || (req.xhr && !req.accepts('html'));
}

/** Renders an expected error (its own page or JSON) or a generic 500; callable outside the middleware chain too. */
export function sendError(req: Request, res: Response, thrown: unknown, log?: Logger): void {
  // A full or failing disk: expected, logged once by the database, and nothing was changed.
  const err = isWriteRefusal(thrown) ? notSaved(wantsJson(req)) : thrown;
  const requestId = String((req as { id?: unknown }).id ?? '');
  const expected = err instanceof AppError;
  const status = expected ? err.status : 500;
  const id = expected ? err.id : 'internal_error';
  const message = expected ? err.message : INTERNAL;
  if (!expected) log?.error({ err, requestId }, 'unhandled error');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status);
  if (wantsJson(req)) {
    res.json({ error: { id, message, ...(expected ? {} : { requestId }) } });
    return;
  }
  const details = expected ? (err.details ?? {}) : {};
  const view = typeof details.view === 'string' ? details.view : 'error';
  res.render(
    view,
    {
      heading: typeof details.heading === 'string' ? details.heading : (HEADINGS[status] ?? 'Something went wrong'),
      message,
      hint: typeof details.hint === 'string' ? details.hint : undefined,
      steps: Array.isArray(details.steps) ? details.steps : undefined,
      requestId: status === 404 || status === 422 ? undefined : requestId, // a reference helps support with everything else
      who: res.locals.who,
      home: homeLink(res),
    },
    (renderErr, html) => {
      if (renderErr) {
        log?.error({ err: renderErr, requestId }, 'error page failed to render');
        res.type('text').send(`${message}\nReference: ${requestId}`);
      } else res.type('html').send(html);
    },
  );
}

export function notFoundHandler(): (req: Request, res: Response, next: (err?: unknown) => void) => void {
  return (_req, _res, next) => next(notFound());
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // body-parser and friends throw errors with a status; they are the client's, not ours
    const clientError =
      !(err instanceof AppError) && typeof err?.status === 'number' && err.status >= 400 && err.status < 500
        ? err.status === 413
          ? new AppError(413, 'too_large', 'What you sent is larger than CMALT Portfolio accepts.')
          : new AppError(err.status, 'bad_request', 'The request could not be read.')
        : err;
    sendError(req, res, clientError, log);
  };
}
