import { notFound, validationFailed } from '../http/errors';
import { frameworks, findPortfolio, findPortfolioById, textToHtml, type Framework, type PortfolioDoc } from '../portfolio';
import { checkRefereeToken, refereeToken } from './link';
import { RefereeRequest, type RefereeRequestDoc } from './referee.model';
import { User } from '../people/user.model';

/** Referee statements for frameworks that ask for them (PSF 2023): asked by the candidate, written through a link. */
export const LINK_DAYS = 30;
export const REFEREE_MESSAGES = {
  noReferees: 'Your framework does not ask for referee statements.',
  tooMany: (n: number) => `You already have ${n} referee${n === 1 ? '' : 's'} asked or received; that is all your scheme asks for.`,
  badLink: 'This link is not one we made, or it has been changed. Ask the applicant to send it again.',
  expired: 'This link has expired. Ask the applicant for a new one.',
  alreadyIn: 'Your statement has already arrived. Thank you: nothing more is needed.',
  tooLong: 'Please keep the statement under 20,000 characters.',
  empty: 'Please write your statement before sending it.',
};

interface Owner {
  userId: string;
  courseId: string;
}

async function ownPortfolioWithReferees(owner: Owner): Promise<{ portfolio: PortfolioDoc; framework: Framework; rule: NonNullable<Framework['referees']> }> {
  const portfolio = await findPortfolio(owner);
  const framework = portfolio && frameworks().get(portfolio.frameworkId, portfolio.frameworkVersion);
  if (!portfolio || !framework?.referees) throw notFound(REFEREE_MESSAGES.noReferees);
  return { portfolio, framework, rule: framework.referees };
}

export async function refereesOf(owner: Owner, now = new Date()) {
  const { portfolio, framework, rule } = await ownPortfolioWithReferees(owner);
  const requests = (await RefereeRequest.find({ portfolio: portfolio._id }).sort({ createdAt: 1 }).limit(50).lean()) as RefereeRequestDoc[];
  const live = requests.filter((r) => r.receivedAt || r.expiresAt > now);
  return { framework, rule, requests, canAsk: live.length < rule.max, now };
}

/** Asks a referee: answers the link for the candidate to pass on (shown once; never stored). */
export async function askReferee(key: string, owner: Owner, input: { refereeName: string; relationship: string }, now = new Date()): Promise<{ link: string; request: RefereeRequestDoc }> {
  const { portfolio } = await ownPortfolioWithReferees(owner);
  const state = await refereesOf(owner, now);
  if (!state.canAsk) throw validationFailed(REFEREE_MESSAGES.tooMany(state.rule.max));
  const expiresAt = new Date(Math.floor((now.getTime() + LINK_DAYS * 86_400_000) / 1000) * 1000); // whole seconds, as the link carries it
  const created = (
    await RefereeRequest.create({ portfolio: portfolio._id, courseId: owner.courseId, candidateId: owner.userId, refereeName: input.refereeName, relationship: input.relationship, expiresAt })
  ).toObject() as RefereeRequestDoc;
  return { link: refereeToken(key, String(created._id), expiresAt), request: created };
}

/** What the referee's page needs, or why it cannot be used. */
export async function requestForLink(key: string, token: string, now = new Date()) {
  const check = checkRefereeToken(key, token, now);
  if (!check.ok) return { ok: false as const, status: check.reason === 'expired' ? 410 : 404, message: check.reason === 'expired' ? REFEREE_MESSAGES.expired : REFEREE_MESSAGES.badLink };
  const request = (await RefereeRequest.findById(check.id).lean()) as RefereeRequestDoc | null;
  if (!request || request.expiresAt.getTime() !== check.expiresAt.getTime()) return { ok: false as const, status: 404, message: REFEREE_MESSAGES.badLink };
  if (request.receivedAt) return { ok: false as const, status: 410, message: REFEREE_MESSAGES.alreadyIn };
  const portfolio = await findPortfolioById(String(request.portfolio));
  if (!portfolio) return { ok: false as const, status: 404, message: REFEREE_MESSAGES.badLink };
  const framework = frameworks().get(portfolio.frameworkId, portfolio.frameworkVersion)!;
  return { ok: true as const, request, framework, pathwayTitle: framework.pathways.find((p) => p.id === portfolio.pathway)?.title ?? '' };
}

/** The referee sends the statement: once only (the update matches only a request still waiting). */
export async function receiveStatement(key: string, token: string, statement: string, now = new Date()) {
  const found = await requestForLink(key, token, now);
  if (!found.ok) return found;
  const text = statement.trim();
  if (!text) throw validationFailed(REFEREE_MESSAGES.empty);
  if (text.length > 20_000) throw validationFailed(REFEREE_MESSAGES.tooLong);
  const done = await RefereeRequest.updateOne({ _id: found.request._id, receivedAt: null }, { $set: { statement: textToHtml(text), receivedAt: now } });
  if (done.modifiedCount !== 1) return { ok: false as const, status: 410, message: REFEREE_MESSAGES.alreadyIn };
  return { ok: true as const };
}

export const PAGE_SIZE = 20;

/** The coordinator reads the statements that arrived in their course, newest first, a page at a time. */
export async function statementsInCourse(courseId: string, page: number) {
  const found = (await RefereeRequest.find({ courseId, receivedAt: { $ne: null } })
    .sort({ receivedAt: -1, _id: -1 })
    .skip(page * PAGE_SIZE)
    .limit(PAGE_SIZE + 1)
    .lean()) as RefereeRequestDoc[];
  const rows = found.slice(0, PAGE_SIZE);
  const users = (await User.find({ _id: { $in: [...new Set(rows.map((r) => r.candidateId))] } }, { name: 1 }).lean()) as Array<{ _id: unknown; name?: string }>;
  const names = new Map(users.map((u) => [String(u._id), u.name || 'A candidate']));
  return { rows: rows.map((r) => ({ ...r, candidateName: names.get(r.candidateId) ?? 'A candidate' })), hasMore: found.length > PAGE_SIZE };
}
