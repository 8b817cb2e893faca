import type { Request, Response } from 'express';
import { notFound } from '../http/errors';
import { whoOf } from '../http/route-kit';
import { objectId } from '../http/validation';
import { attachmentHeader, findPortfolioById, type PortfolioDoc } from '../portfolio';
import { canOnExport, type ExportAction } from './policy';

/** What the export routes share beyond the route kit: loading a portfolio through the policy, and sending a file. */
export const NOT_FOUND = 'We could not find that portfolio, or it is not shared with you.';

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
