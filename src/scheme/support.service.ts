import { createHash, randomBytes } from 'node:crypto';
import { whenLondon } from '../http/dates';
import { queueEmail } from './mail';
import { Application, SupportLink, type ApplicationDoc } from './scheme.model';
import { refusal, type Result } from './settings.service';

/** How long a line manager's link works. Two weeks covers a leave; a reminder sends a fresh one. */
export const LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export const SUPPORT_MESSAGES = {
  unknown: 'This link is not valid. Check that you copied the whole address from the email, or ask the applicant to have a new one sent.',
  used: 'This link has already been used, so it cannot be used again. If your answer needs to change, contact the scheme coordinator.',
  expired: 'This link has expired. Ask the applicant or the scheme coordinator to send you a new one.',
  closed: 'This application is no longer waiting for your support, so nothing was changed.',
  notAsked: 'Support can only be recorded for an application that has been sent.',
};

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** 256 random bits, base64url: unguessable; only the hash is stored, so a database reader cannot use a link. */
const newToken = () => randomBytes(32).toString('base64url');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Emails the line manager a fresh single-use link; any earlier link for the application stops working. */
export async function askLineManager(app: ApplicationDoc, baseUrl: string, now = new Date()): Promise<void> {
  await SupportLink.updateMany({ applicationId: String(app._id), usedAt: null }, { $set: { usedAt: now } });
  const token = newToken();
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await SupportLink.create({ applicationId: String(app._id), tokenHash: hashOf(token), expiresAt, createdAt: now });
  const link = `${baseUrl.replace(/\/$/, '')}/scheme-support/${token}`;
  await queueEmail(
    app.lineManagerEmail,
    `Do you support ${app.name}'s CMALT application?`,
    `Dear ${app.lineManagerName},\n\n${app.name} (${app.jobTitle}) has applied to join the CMALT learning set and named you as their line manager. ` +
      `Taking part means time for meetings and writing through the year.\n\nPlease say whether you support the application (you do not need an account):\n${link}\n\n` +
      `The link works once and until ${whenLondon(expiresAt)}.\n\nCMALT Portfolio`,
  );
}

export type LinkView = { ok: true; application: Pick<ApplicationDoc, 'name' | 'jobTitle' | 'site' | 'lineManagerName'> } | { ok: false; status: number; message: string };

/** What the line manager sees before answering: refused the same way as an answer would be. */
export async function openSupportLink(token: string, now = new Date()): Promise<LinkView> {
  if (!TOKEN_SHAPE.test(token)) return refusal(404, SUPPORT_MESSAGES.unknown);
  const link = await SupportLink.findOne({ tokenHash: hashOf(token) }).lean();
  if (!link) return refusal(404, SUPPORT_MESSAGES.unknown);
  if (link.usedAt) return refusal(410, SUPPORT_MESSAGES.used);
  if (link.expiresAt <= now) return refusal(410, SUPPORT_MESSAGES.expired);
  const app = await Application.findById(link.applicationId).lean();
  if (!app || !['submitted', 'waiting', 'accepted'].includes(app.state)) return refusal(409, SUPPORT_MESSAGES.closed);
  return { ok: true, application: { name: app.name, jobTitle: app.jobTitle, site: app.site, lineManagerName: app.lineManagerName } };
}

/** The answer uses the link up in the same update that checks it is unused and unexpired, so it counts once. */
export async function answerSupportLink(token: string, answer: 'yes' | 'no', comment: string, now = new Date()): Promise<Result> {
  const view = await openSupportLink(token, now);
  if (!view.ok) return view;
  const link = await SupportLink.findOneAndUpdate({ tokenHash: hashOf(token), usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { new: true }).lean();
  if (!link) return refusal(410, SUPPORT_MESSAGES.used);
  await Application.updateOne(
    { _id: link.applicationId },
    { $set: { support: answer === 'yes' ? 'supported' : 'not_supported', supportComment: comment, supportBy: 'link', supportAt: now } },
  );
  return { ok: true };
}

/** The coordinator records support given another way (a meeting, an email), with a note; open links stop working. */
export async function recordSupport(courseId: string, id: string, answer: 'yes' | 'no', note: string, now = new Date()): Promise<Result> {
  const app = await Application.findOneAndUpdate(
    { _id: id, courseId, state: { $nin: ['draft'] } },
    { $set: { support: answer === 'yes' ? 'supported' : 'not_supported', supportComment: note, supportBy: 'coordinator', supportAt: now } },
  ).lean();
  if (!app) return (await Application.exists({ _id: id, courseId })) ? refusal(409, SUPPORT_MESSAGES.notAsked) : refusal(404, 'We could not find that application in this course.');
  await SupportLink.updateMany({ applicationId: id, usedAt: null }, { $set: { usedAt: now } });
  return { ok: true };
}

/** A reminder: a fresh link to the line manager, for an application still waiting for an answer. */
export async function remindLineManager(courseId: string, id: string, baseUrl: string, now = new Date()): Promise<Result> {
  const app = (await Application.findOne({ _id: id, courseId }).lean()) as ApplicationDoc | null;
  if (!app) return refusal(404, 'We could not find that application in this course.');
  if (app.support !== 'asked') return refusal(409, 'This line manager has already answered, or was never asked. Nothing was sent.');
  await askLineManager(app, baseUrl, now);
  return { ok: true };
}
