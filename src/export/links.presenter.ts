import { when as dateTime, dayOf } from '../http/dates';
import type { AssessorLinkDoc, AssessorOpeningDoc } from './assessor.model';
import { LINKS_PER_PAGE } from './assessor.service';


/** The assessor links page: each link's state, expiry and openings, as plain strings. */
export function linksPresenter(input: { links: AssessorLinkDoc[]; openings: AssessorOpeningDoc[]; total: number; page: number; now: Date }, href: (path: string) => string, base: string) {
  const pages = Math.max(1, Math.ceil(input.total / LINKS_PER_PAGE));
  return {
    links: input.links.map((l) => {
      const state = l.revokedAt ? 'Withdrawn' : l.expiresAt <= input.now ? 'Expired' : 'Active';
      const openings = input.openings.filter((o) => String(o.link) === String(l._id)).slice(0, 5);
      return {
        id: String(l._id),
        created: dateTime(l.createdAt),
        by: l.createdByName,
        expires: dayOf(l.expiresAt),
        expiresValue: l.expiresAt.toISOString().slice(0, 10),
        state,
        active: state === 'Active',
        withCode: Boolean(l.codeHash),
        openingCount: l.openings,
        openings: openings.map((o) => ({ when: dateTime(o.at), where: `${o.browser}, from ${o.network}` })),
        revokeAction: href(`${base}/${String(l._id)}/revoke`),
        expiryAction: href(`${base}/${String(l._id)}/expiry`),
      };
    }),
    page: input.page,
    pages,
    previous: input.page > 1 ? href(`${base}?page=${input.page - 1}`) : '',
    next: input.page < pages ? href(`${base}?page=${input.page + 1}`) : '',
  };
}
