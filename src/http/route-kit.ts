import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AppError, notFound } from './errors';
import type { Who } from './who';
import { navFor } from './nav';
import { roleLabel } from '../people/roles';

/** What every mentoring, cohort and notifications route shares: async errors, who is asking, rendering with the nav. */
type Handler = (req: Request, res: Response) => Promise<void>;
export const h = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);
export const whoOf = (res: Response) => res.locals.who as Who;
export const urlOf = (res: Response, path: string): string => (res.locals.url ? res.locals.url(path) : path);

export { objectId } from './validation';

/** Checks a form with zod, for a route that shows the form again on a problem: the data, or the first problem in words. */
export function check<T extends z.ZodTypeAny>(schema: T, input: unknown): { ok: true; data: z.output<T> } | { ok: false; message: string } {
  const r = schema.safeParse(input ?? {});
  return r.success ? { ok: true, data: r.data } : { ok: false, message: r.error.issues[0]?.message ?? 'Please check the form and try again.' };
}

/** Parses a form with zod; a bad field is a 422 error page with the schema's human message, and nothing changes. */
export function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const r = check(schema, input);
  if (!r.ok) throw new AppError(422, 'validation_failed', r.message);
  return r.data;
}

/** A service's refusal as an error page (status + plain message). */
export function refuse(result: { status: number; message: string }): never {
  throw new AppError(result.status, result.status === 404 ? 'not_found' : result.status === 409 ? 'conflict' : result.status === 403 ? 'forbidden' : 'validation_failed', result.message);
}

export const NOT_FOUND = 'We could not find that page, or it is not shared with you.';
export const hidden = () => notFound(NOT_FOUND);

/**
 * Pages for someone not in a launch (the installer, a referee's or supporter's link, pages served inside ltijs's
 * own app) have no `who` and no navigation: they use renderPage, which also sets the status.
 */
export { renderError, renderPage } from './render-page';

/** A page for the person in this launch, with who/url/navigation filled in. */
export async function render(res: Response, view: string, locals: Record<string, unknown>, current: string): Promise<void> {
  const who = whoOf(res);
  const url = (p: string) => urlOf(res, p);
  const nav = navFor(who, current, url, res.locals.unread as number | undefined);
  res.render(view, { who, url, roleLabel, nav, ...locals });
}
