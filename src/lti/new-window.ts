import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { refusalError } from './refusals';
import { NewWindowTicket, type LoginParams } from './storage/models';
import { FROM_NEW_WINDOW } from './storage/login';
import { STORAGE_REFUSALS } from './storage/refusals';

/** Where the "open in a new window" button goes: a one-use ticket for the login the VLE sent, kept here. */
export async function newWindowTicket(params: LoginParams): Promise<{ id: string; href: string }> {
  const ticket = await NewWindowTicket.create({ id: randomBytes(24).toString('base64url'), params });
  return { id: ticket.id, href: `/lti/new-window/${ticket.id}` };
}

/**
 * GET /lti/new-window/:ticket, opened top-level: starts the same login again from what we kept (nothing new
 * from the browser is trusted), so the VLE signs the person in there and the launch gets first-party cookies.
 */
export function startLoginInNewWindow(loginPath: string): RequestHandler {
  return async (req, res, next) => {
    try {
      const ticket = await NewWindowTicket.findOneAndDelete({ id: String(req.params.ticket) }).lean();
      if (!ticket) return next(refusalError(STORAGE_REFUSALS.newWindowTicketUnknown));
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(ticket.params)) if (typeof v === 'string' && v) query.set(k, v);
      query.set(FROM_NEW_WINDOW, '1');
      res.set('Cache-Control', 'no-store');
      res.redirect(303, `${loginPath}?${query.toString()}`);
    } catch (err) {
      next(err);
    }
  };
}
