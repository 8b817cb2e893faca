import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import { renderError } from '../http/route-kit';
import { sameSecret } from '../http/same-secret';

/** Every installer form carries _csrf, tied to the session; a form from anywhere else is refused. */
export function checkCsrf(_config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
    const expected = String(res.locals.csrfToken ?? '');
    if (!expected || !given || !sameSecret(given, expected)) {
      void renderError(res, 403, 'This form has expired', 'We did not make that change because the form was out of date or came from another site.', 'Go back, reload the page and try again.');
      return;
    }
    next();
  };
}
