import type { Book, BookEvidence } from '../book';

/** File names inside the website zip: plain ASCII, unique, relative (the site opens from disk). */
export const areaFile = (areaId: string) => `area-${areaId.replace(/[^a-z0-9-]/g, '')}.html`;

export function evidenceFile(e: BookEvidence): string {
  const name = (e.file?.filename ?? 'file')
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-80);
  return `evidence/E${e.number}-${name || 'file'}`;
}

export const siteFolder = (book: Book) => `cmalt-portfolio-${book.portfolioId}`;
