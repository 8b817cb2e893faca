import type { Response } from 'express';

/** The portfolio's main navigation on evidence and planning pages, matching the portfolio's own pages. */
export function portfolioNav(res: Response, current: '/portfolio/evidence' | '/portfolio/planning') {
  const url = res.locals.url as (p: string) => string;
  return [
    { href: url('/portfolio'), label: 'My portfolio', current: false },
    { href: url('/portfolio/planning'), label: 'Planning', current: current === '/portfolio/planning' },
    { href: url('/portfolio/evidence'), label: 'Evidence', current: current === '/portfolio/evidence' },
  ];
}
