import { APPLICATION_STATES, SUPPORT_STATES, Application, type ApplicationDoc } from './scheme.model';
import type { ListFilter } from './scheme.schema';

export const PAGE_SIZE = 20;

/**
 * The coordinator's list of applications, one page at a time: an offered freed place first, then the waiting
 * list in order, then the rest by when they were sent. Drafts are the applicant's own until sent.
 */
export async function listApplications(courseId: string, filter: ListFilter) {
  const query: Record<string, unknown> = { courseId, state: { $ne: 'draft' } };
  if (filter.site) query.site = filter.site;
  if (filter.state && (APPLICATION_STATES as readonly string[]).includes(filter.state) && filter.state !== 'draft') query.state = filter.state;
  if (filter.support && (SUPPORT_STATES as readonly string[]).includes(filter.support)) query.support = filter.support;
  const total = await Application.countDocuments(query);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const items = (await Application.find(query)
    .sort({ offeredFreedPlace: -1, waitingRank: 1, submittedAt: 1, _id: 1 })
    .skip((page - 1) * PAGE_SIZE)
    .limit(PAGE_SIZE)
    .lean()) as ApplicationDoc[];
  return { items, total, page, pages };
}
