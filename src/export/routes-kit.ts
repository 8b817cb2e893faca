import type { NextFunction, Request, Response } from 'express';
import { notFound } from '../http/errors';
import type { Who } from '../http/identity';
import { objectId } from '../http/validation';
import { navFor } from '../lti/landing';
import { roleLabel } from '../lti/roles';
import { attachmentHeader, findPortfolioById, type PortfolioDoc } from '../portfolio';
import { canOnExport, type ExportAction } from './policy';

/** What the export routes share: async errors, who is asking, rendering with the nav, loading a portfolio through the policy. */
export const NOT_FOUND = 'We could not find that portfolio, or it is not shared with you.';

type Handler = (req: Request, res: Response) => Promise<void>;
export const h = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);
export const whoOf = (res: Response) => res.locals.who as Who;
export const urlOf = (res: Response, path: string): string => (res.locals.url ? res.locals.url(path) : path);

export function render(res: Response, view: string, locals: Record<string, unknown>): void {
  const who = whoOf(res);
  const nav = navFor(who, '/export', res.locals.url, res.locals.unread as number | undefined);
  res.render(view, { who, url: (p: string) => urlOf(res, p), roleLabel, nav, ...locals });
}

/** The portfolio named in the URL, if `who` may do `action` with it; anything else is simply not found. */
export async function portfolioFor(req: Request, res: Response, action: ExportAction): Promise<PortfolioDoc> {
  const id = objectId.safeParse(req.params.portfolioId);
  const portfolio = id.success ? await findPortfolioById(id.data) : null;
  if (!portfolio || !(await canOnExport(whoOf(res), action, portfolio))) throw notFound(NOT_FOUND);
  return portfolio;
}

/** A file for saving, never shown inline: the same headers as an evidence download. */
export function sendDownload(res: Response, bytes: Buffer, type: string, filename: string): void {
  res.set({
    'Content-Type': type,
    'Content-Length': String(bytes.length),
    'Content-Disposition': attachmentHeader(filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.end(bytes);
}
