import { Types } from 'mongoose';
import { notify, type NotifyOptions } from '../../notifications';
import { Membership } from '../../people/membership.model';
import { User } from '../../people/user.model';
import type { Member } from '../service';
import { Invitation, Profile, type InvitationDoc, type ProfileDoc } from './models';
import type { ProfileInput } from './schema';

export const DIRECTORY_PAGE = 20;
export const INVITATIONS_PAGE = 20;

/** The role the directory shows: the most responsible one the launch gave. */
const roleOf = (who: Member) => (who.roles.includes('coordinator') ? 'coordinator' : who.roles.includes('mentor') ? 'mentor' : 'candidate');

/**
 * Puts the person in their set's directory (name and role as this launch gave them), once per request to the space:
 * one small upsert, so the directory lists everyone who has opened the learning set.
 */
export async function enterDirectory(who: Member): Promise<void> {
  await Profile.updateOne(
    { courseId: who.courseId, userId: who.userId },
    { $set: { name: who.name, nameKey: who.name.toLowerCase(), role: roleOf(who) }, $setOnInsert: { courseId: who.courseId, userId: who.userId } },
    { upsert: true },
  );
}

const MEMBER_ROLES = ['candidate', 'mentor', 'coordinator'];
/** A set is at most this many people; beyond it the directory lists those who opened the space. */
const SYNC_LIMIT = 5000;

/**
 * Adds a bare entry for every member launched into the course who has none yet (they may not have opened the
 * learning set), so "Everyone" is everyone. Two indexed reads and, only when someone is missing, one insert.
 */
export async function syncDirectory(courseId: string): Promise<void> {
  if (!Types.ObjectId.isValid(courseId)) return;
  const memberships = await Membership.find({ course: courseId, appRoles: { $in: MEMBER_ROLES } }, { user: 1, appRoles: 1 }).limit(SYNC_LIMIT).lean();
  const known = new Set((await Profile.find({ courseId }, { userId: 1 }).limit(SYNC_LIMIT * 2).lean()).map((p) => p.userId));
  const missing = memberships.filter((m) => !known.has(String(m.user)));
  if (!missing.length) return;
  const names = new Map((await User.find({ _id: { $in: missing.map((m) => m.user) } }, { name: 1 }).lean()).map((u) => [String(u._id), u.name || 'Unnamed person']));
  const rows = missing.map((m) => {
    const roles = (m.appRoles ?? []) as string[];
    const name = names.get(String(m.user)) ?? 'Unnamed person';
    return { courseId, userId: String(m.user), name, nameKey: name.toLowerCase(), role: roles.includes('coordinator') ? 'coordinator' : roles.includes('mentor') ? 'mentor' : 'candidate' };
  });
  // two directory pages opened at once may both insert: the unique index keeps one, the other is ignored
  await Profile.insertMany(rows, { ordered: false }).catch((err: { code?: number; writeErrors?: unknown[] }) => {
    if (err.code !== 11000 && !err.writeErrors) throw err;
  });
}

export async function profileOf(courseId: string, userId: string): Promise<ProfileDoc | null> {
  return Profile.findOne({ courseId, userId }).lean<ProfileDoc>();
}

export async function saveProfile(who: Member, input: ProfileInput): Promise<void> {
  await Profile.updateOne(
    { courseId: who.courseId, userId: who.userId },
    { $set: { site: input.site, siteKey: input.site.toLowerCase(), interests: input.interests, helpWith: input.helpWith, about: input.about, written: true } },
  );
}

/** One page of the set's directory, by name, optionally narrowed to a topic (interest or help) and/or a site. */
export async function directory(courseId: string, filter: { about?: string; site?: string; page?: number }): Promise<{ people: ProfileDoc[]; page: number; more: boolean }> {
  const query: Record<string, unknown> = { courseId };
  if (filter.about) query.$or = [{ interests: filter.about }, { helpWith: filter.about }];
  if (filter.site) query.siteKey = filter.site;
  const page = filter.page ?? 1;
  const rows = await Profile.find(query).sort({ nameKey: 1, _id: 1 }).skip((page - 1) * DIRECTORY_PAGE).limit(DIRECTORY_PAGE + 1).lean<ProfileDoc[]>();
  return { people: rows.slice(0, DIRECTORY_PAGE), page, more: rows.length > DIRECTORY_PAGE };
}

export async function invite(
  who: Member,
  to: ProfileDoc,
  input: { message: string; meeting?: { startsAt: Date; endsAt: Date; place: string } },
  options: NotifyOptions | undefined,
): Promise<InvitationDoc> {
  const created = await Invitation.create({
    courseId: who.courseId,
    fromId: who.userId,
    fromName: who.name,
    toId: to.userId,
    toName: to.name,
    message: input.message,
    meetingStartsAt: input.meeting?.startsAt ?? null,
    meetingEndsAt: input.meeting?.endsAt ?? null,
    meetingPlace: input.meeting?.place ?? '',
  });
  if (options) {
    await notify({
      userId: to.userId,
      courseId: who.courseId,
      kind: 'community',
      text: input.meeting ? `${who.name} suggested meeting you (learning set)` : `${who.name} sent you a message in the learning set`,
      path: `/community/people/invitations/${created._id}`,
      key: `community-invite:${created._id}`,
    }, options);
  }
  return created.toObject() as InvitationDoc;
}

/** An invitation its sender or recipient may read, in their own course; anything else is null. */
export async function invitationFor(who: { userId: string; courseId: string }, id: string): Promise<InvitationDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return Invitation.findOne({ _id: id, courseId: who.courseId, $or: [{ fromId: who.userId }, { toId: who.userId }] }).lean<InvitationDoc>();
}

/** Invitations to and from the person, newest first, one page at a time. */
export async function invitationsOf(who: { userId: string; courseId: string }, page: number): Promise<{ items: InvitationDoc[]; more: boolean }> {
  const rows = await Invitation.find({ courseId: who.courseId, $or: [{ fromId: who.userId }, { toId: who.userId }] })
    .sort({ createdAt: -1, _id: -1 })
    .skip((page - 1) * INVITATIONS_PAGE)
    .limit(INVITATIONS_PAGE + 1)
    .lean<InvitationDoc[]>();
  return { items: rows.slice(0, INVITATIONS_PAGE), more: rows.length > INVITATIONS_PAGE };
}

/**
 * The recipient accepts or declines, the sender withdraws; only while the invitation is still open (a second
 * answer, or the wrong person's, changes nothing). Returns the new state, 'forbidden' or 'closed'.
 */
export async function answer(who: Member, inv: InvitationDoc, what: 'accept' | 'decline' | 'withdraw', options: NotifyOptions | undefined): Promise<'accepted' | 'declined' | 'withdrawn' | 'forbidden' | 'closed'> {
  const mine = what === 'withdraw' ? inv.fromId === who.userId : inv.toId === who.userId;
  if (!mine) return 'forbidden';
  const state = what === 'accept' ? 'accepted' : what === 'decline' ? 'declined' : 'withdrawn';
  const r = await Invitation.updateOne({ _id: inv._id, state: 'sent' }, { $set: { state } });
  if (!r.modifiedCount) return 'closed';
  if (options && what !== 'withdraw') {
    await notify({
      userId: inv.fromId,
      courseId: inv.courseId,
      kind: 'community',
      text: `${who.name} ${state} your invitation (learning set)`,
      path: `/community/people/invitations/${inv._id}`,
      key: `community-invite:${inv._id}:${state}`,
    }, options);
  }
  return state;
}
