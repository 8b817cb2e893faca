import type { ReportTable } from './reports.service';

export const REPORT_PAGE_SIZE = 20;

/** One table as the page shows it: a list of people a page at a time, with links to its other pages. */
export function presentTable(t: ReportTable, page: number, pageUrl: (page: number) => string, csvUrl: string) {
  const pages = t.people ? Math.max(1, Math.ceil(t.rows.length / REPORT_PAGE_SIZE)) : 1;
  const at = Math.min(Math.max(1, page), pages);
  const rows = t.people ? t.rows.slice((at - 1) * REPORT_PAGE_SIZE, at * REPORT_PAGE_SIZE) : t.rows;
  return {
    ...t,
    rows,
    total: t.rows.length,
    page: at,
    pages,
    prev: at > 1 ? pageUrl(at - 1) : '',
    next: at < pages ? pageUrl(at + 1) : '',
    csvUrl,
  };
}
export type TableView = ReturnType<typeof presentTable>;
