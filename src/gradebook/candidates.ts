import type { Connection, Model } from 'mongoose';
import { areasOf, getFramework, Portfolio, Section, type PortfolioDoc, type SectionDoc, computeProgress } from '../portfolio';
import { User, type UserDoc } from '../people/user.model';
import type { CandidateStanding } from './score';

/** A candidate as the gradebook sees them: who, where, and where their portfolio stands. */
export interface Candidate {
  portfolioId: string;
  candidateId: string; // our User _id
  courseId: string;
  sub?: string; // the LTI sub the VLE knows them by
  name?: string;
  standing: CandidateStanding;
}

// The portfolio and LTI models, bound to the connection we were given (a second instance in tests has its own).
function bound<T>(conn: Connection, name: string, model: Model<T>): Model<T> {
  return (conn.models[name] as Model<T>) ?? conn.model<T>(name, model.schema);
}

export interface CandidateFilter {
  portfolioIds?: string[];
  courseId?: string;
  candidateId?: string; // our User _id
  changedSince?: Date; // only portfolios whose own document or a section changed since then
  /** Who the owners are, when the caller has them (by user id): their records are then not read again. */
  known?: ReadonlyMap<string, { sub: string; name: string }>;
}

const lastRound = (p: PortfolioDoc) => (p.altRounds?.length ? p.altRounds[p.altRounds.length - 1] : undefined);

/** The portfolios a filter selects, as `{ _id: { $in } }` (or the whole filter) for a query. */
async function portfolioQuery(conn: Connection, filter: CandidateFilter): Promise<Record<string, unknown>> {
  const P = bound(conn, 'Portfolio', Portfolio as unknown as Model<PortfolioDoc>);
  const S = bound(conn, 'Section', Section as unknown as Model<SectionDoc>);
  const query: Record<string, unknown> = {};
  if (filter.courseId) query.courseId = filter.courseId;
  if (filter.candidateId) query.userId = filter.candidateId;
  let ids = filter.portfolioIds;
  const wanted = ids ? new Set(ids) : undefined;
  if (filter.changedSince) {
    const touched = await S.find({ updatedAt: { $gte: filter.changedSince } }, { portfolio: 1 }).lean();
    const own = await P.find({ updatedAt: { $gte: filter.changedSince } }, { _id: 1 }).lean();
    ids = [...new Set([...touched.map((s) => String(s.portfolio)), ...own.map((p) => String(p._id))])].filter((id) => !wanted || wanted.has(id));
  }
  if (ids) query._id = { $in: ids };
  return query;
}

/** The ids of the portfolios a filter selects (a projection: cheap whatever their sections), for work in batches. */
export async function candidatePortfolioIds(conn: Connection, filter: CandidateFilter = {}): Promise<string[]> {
  const P = bound(conn, 'Portfolio', Portfolio as unknown as Model<PortfolioDoc>);
  const query = await portfolioQuery(conn, filter);
  return (await P.find(query, { _id: 1 }).lean()).map((p) => String(p._id));
}

export async function loadCandidates(conn: Connection, filter: CandidateFilter = {}): Promise<Candidate[]> {
  const P = bound(conn, 'Portfolio', Portfolio as unknown as Model<PortfolioDoc>);
  const S = bound(conn, 'Section', Section as unknown as Model<SectionDoc>);
  const U = bound(conn, 'User', User as unknown as Model<UserDoc & { _id: unknown }>);
  const portfolios = await P.find(await portfolioQuery(conn, filter)).lean();
  if (!portfolios.length) return [];
  const sections = await S.find({ portfolio: { $in: portfolios.map((p) => p._id) } }, { portfolio: 1, areaId: 1, state: 1 }).lean();
  const unknown = portfolios.map((p) => p.userId).filter((id) => !filter.known?.has(id));
  const users = unknown.length || !filter.known ? await U.find({ _id: { $in: unknown } }, { sub: 1, name: 1 }).lean() : [];
  const userById = new Map(users.map((u) => [String((u as { _id: unknown })._id), u]));
  // Grouped once, not filtered per portfolio (that was quadratic in the course's size).
  const byPortfolio = new Map<string, Array<{ areaId: string; state: SectionDoc['state'] }>>();
  for (const s of sections) {
    const key = String(s.portfolio);
    let list = byPortfolio.get(key);
    if (!list) byPortfolio.set(key, (list = []));
    list.push({ areaId: s.areaId, state: s.state as SectionDoc['state'] });
  }
  return portfolios.map((p) => {
    const own = byPortfolio.get(String(p._id)) ?? [];
    const areas = areasOf(getFramework(p.frameworkId, p.frameworkVersion), p);
    const user = filter.known?.get(String(p.userId)) ?? userById.get(String(p.userId));
    return {
      portfolioId: String(p._id),
      candidateId: String(p.userId),
      courseId: String(p.courseId),
      sub: user?.sub,
      name: user?.name || undefined,
      standing: {
        progress: computeProgress(areas, own),
        anythingWritten: own.some((s) => s.state !== 'not_started'),
        // Once submitted to ALT, ALT's outcome decides: Submitted while it is pending, Completed on a pass.
        submitted: Boolean(p.submittedAt) || lastRound(p)?.outcome === 'pending',
        signedOff: lastRound(p) ? lastRound(p)!.outcome === 'pass' : Boolean(p.signedOffAt),
      },
    };
  });
}
