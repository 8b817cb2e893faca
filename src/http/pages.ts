import { badRequest, notFound } from './errors';

/** Rows per page on list pages: the page costs the same at 1,500 people as at 50. */
export const PAGE_SIZE = 50;

/** `?page=` as a number (1 when absent); anything else is a clear 400, never a guess. */
export function pageNumberOf(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,5}$/.test(raw)) throw badRequest('Please choose a page number from the list of pages.');
  return Number(raw);
}

export interface Pagination {
  current: number;
  count: number;
  prev: string | null;
  next: string | null;
  /** Nearby page numbers with a gap marker (null) where pages are skipped; `href` is that page's link. */
  links: Array<{ n: number; href: string; current: boolean } | null>;
}

/** The pages of `total` rows; a page beyond the last is a 404 with the number of pages in words. */
export function paginate(current: number, total: number, href: (n: number) => string, size = PAGE_SIZE): Pagination {
  const count = Math.max(1, Math.ceil(total / size));
  if (current > count) throw notFound(`There is no page ${current}: this list has ${count} page${count === 1 ? '' : 's'}.`);
  const wanted = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, count])].filter((n) => n >= 1 && n <= count).sort((a, b) => a - b);
  const links: Pagination['links'] = [];
  wanted.forEach((n, i) => {
    if (i > 0 && n - wanted[i - 1] > 1) links.push(null);
    links.push({ n, href: href(n), current: n === current });
  });
  return { current, count, prev: current > 1 ? href(current - 1) : null, next: current < count ? href(current + 1) : null, links };
}
