import { existsSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Response } from 'express';

/**
 * Renders a page from views/ without relying on the Express app's view settings: registration and deep
 * linking run inside ltijs's own Express app, which knows nothing of our views.
 */
export const VIEWS_DIR = [path.resolve(__dirname, '../../views'), path.resolve(__dirname, '../../../views')].find((dir) =>
  existsSync(path.join(dir, 'partials', 'page-start.ejs')),
) ?? path.resolve(process.cwd(), 'views');

export async function renderPage(res: Response, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  const html = await ejs.renderFile(path.join(VIEWS_DIR, `${view}.ejs`), { ...res.locals, ...locals }, { async: false });
  res.status(status).type('html').send(html);
}

export function renderError(res: Response, status: number, heading: string, message: string, hint?: string): Promise<void> {
  return renderPage(res, status, 'error', { title: heading, heading, message, hint });
}
