import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { Membership } from '../../people/membership.model';
import { checkLink, newNonce, signLink } from '../../http/signed-links';
import { coordinatedCohorts, type Cohort } from './reports.service';
import { ReportLink, type ReportLinkDoc } from './report-links.model';

/**
 * Read-only report links for a coordinator's manager. The token is signed (purpose, link id, nonce, expiry) so a
 * tampered one is refused before the database is asked; the stored hash makes revoking and expiry the
 * database's word, not the token's alone.
 */
const PURPOSE = 'scheme-report';
export const REPORT_LINK_DAYS = { min: 1, max: 90, default: 30 } as const;
export const LINKS_PAGE_SIZE = 20;
const DAY_MS = 24 * 60 * 60 * 1000;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Maker {
  userId: string;
  name: string;
  courseId: string;
  issuer: string;
}

export async function createReportLink(secret: string, who: Maker, input: { label: string; scope: 'course' | 'all'; days: number }, now: Date): Promise<{ token: string; link: ReportLinkDoc }> {
  const _id = new Types.ObjectId();
  const expiresAt = new Date(now.getTime() + input.days * DAY_MS);
  const token = signLink(secret, PURPOSE, { subject: String(_id), nonce: newNonce(), expiresAt });
  const link = await ReportLink.create({ _id, courseId: who.courseId, issuer: who.issuer, createdBy: who.userId, createdByName: who.name, label: input.label, scope: input.scope, tokenHash: hashOf(token), expiresAt, revokedAt: null, lastOpenedAt: null, createdAt: now });
  return { token, link: link.toObject() as ReportLinkDoc };
}

/** This course's links, newest first, a page at a time. */
export async function listReportLinks(courseId: string, page: number) {
  const total = await ReportLink.countDocuments({ courseId });
  const pages = Math.max(1, Math.ceil(total / LINKS_PAGE_SIZE));
  const at = Math.min(Math.max(1, page), pages);
  const items = (await ReportLink.find({ courseId }).sort({ createdAt: -1, _id: -1 }).skip((at - 1) * LINKS_PAGE_SIZE).limit(LINKS_PAGE_SIZE).lean()) as ReportLinkDoc[];
  return { items, total, page: at, pages };
}

/** Revokes a link of this course; another course's id (or one that does not exist) is not found, and nothing changes. */
export async function revokeReportLink(courseId: string, id: string, now: Date): Promise<'revoked' | 'already' | 'unknown'> {
  if (!Types.ObjectId.isValid(id)) return 'unknown';
  const done = await ReportLink.findOneAndUpdate({ _id: id, courseId, revokedAt: null }, { $set: { revokedAt: now } }, { new: true }).lean();
  if (done) return 'revoked';
  return (await ReportLink.exists({ _id: id, courseId })) ? 'already' : 'unknown';
}

export type Opened = { ok: true; link: ReportLinkDoc; cohorts: Cohort[] } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** What a token opens at `now`: the cohorts in the link's scope, worked out now from what its maker coordinates. */
export async function openReportLink(secret: string, token: string, now: Date): Promise<Opened> {
  const check = checkLink(secret, PURPOSE, token, now);
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'unknown' };
  if (!Types.ObjectId.isValid(check.link.subject)) return { ok: false, reason: 'unknown' };
  const link = (await ReportLink.findOne({ _id: check.link.subject, tokenHash: hashOf(token) }).lean()) as ReportLinkDoc | null;
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.revokedAt) return { ok: false, reason: 'revoked' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  // A maker who is no longer this course's coordinator (as of their last launch) shares nothing any more.
  if (!Types.ObjectId.isValid(link.createdBy) || !(await Membership.exists({ user: link.createdBy, course: link.courseId, appRoles: 'coordinator' }))) return { ok: false, reason: 'revoked' };
  const mine = await coordinatedCohorts({ userId: link.createdBy, courseId: link.courseId, issuer: link.issuer });
  const cohorts = link.scope === 'all' ? mine : mine.filter((c) => c.courseId === link.courseId);
  if (!cohorts.length) return { ok: false, reason: 'unknown' };
  await ReportLink.updateOne({ _id: link._id }, { $set: { lastOpenedAt: now } });
  return { ok: true, link, cohorts };
}
