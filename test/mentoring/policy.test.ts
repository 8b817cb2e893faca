import mongoose, { Types } from 'mongoose';
import { freshDatabaseUri } from '../support/db';
import { User } from '../../src/people/user.model';
import { CoMentorShare, MentorAssignment } from '../../src/mentoring/models';
import { canEditComment, canDeleteComment, canOnCohort, canOnSection, canReadPortfolio, canShare, registerMentoringPolicy, type Asker } from '../../src/mentoring/policy';
import { can as canPortfolio } from '../../src/portfolio/policy';
import { canReadEvidence } from '../../src/portfolio/evidence';

const COURSE = new Types.ObjectId().toString();
const OTHER_COURSE = new Types.ObjectId().toString();
let cat: { userId: string; sub: string };
let dan: { userId: string; sub: string };

async function aUser(sub: string) {
  const u = await User.create({ issuer: 'https://vle.example', sub, name: sub });
  return { userId: String(u._id), sub };
}
const who = (u: { userId: string; sub: string }, roles: string[], over: Partial<Omit<Asker, 'roles'>> = {}): Asker & { roles: string[]; role: string } => ({ userId: u.userId, sub: u.sub, courseId: COURSE, roles, role: roles[0], ...over });
const candidateRef = (u: { userId: string }, courseId = COURSE) => ({ userId: u.userId, courseId });
const SECTION = new Types.ObjectId().toString();
const OTHER_SECTION = new Types.ObjectId().toString();

let mo: { userId: string; sub: string };
let stranger: { userId: string; sub: string };
let cora: { userId: string; sub: string };

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('mentoringpolicy'));
  [cat, dan, mo, stranger, cora] = await Promise.all(['cat', 'dan', 'mo', 'stranger', 'cora'].map(aUser));
  await MentorAssignment.create({ courseId: COURSE, mentorSub: 'mo', candidateSub: 'cat', assignedBy: cora.userId });
  await CoMentorShare.create({ courseId: COURSE, section: SECTION, ownerId: cat.userId, peerId: dan.userId });
  registerMentoringPolicy();
});
afterAll(async () => {
  await mongoose.disconnect();
});

describe('mentoring policy', () => {
  test('an assigned mentor may read, comment on and review the candidate’s sections', async () => {
    for (const action of ['read', 'comment', 'review'] as const) expect(await canOnSection(who(mo, ['mentor']), action, SECTION, candidateRef(cat))).toBe(true);
    expect(await canReadPortfolio(who(mo, ['mentor']), candidateRef(cat))).toBe(true);
  });

  test('a mentor cannot open a candidate they do not mentor', async () => {
    for (const action of ['read', 'comment', 'review'] as const) expect(await canOnSection(who(mo, ['mentor']), action, SECTION, candidateRef(dan))).toBe(false);
    expect(await canReadPortfolio(who(stranger, ['mentor']), candidateRef(cat))).toBe(false);
  });

  test('role_scope_mentor narrows a mentor to the users it names, even when assigned', async () => {
    expect(await canReadPortfolio(who(mo, ['mentor'], { mentorScope: ['someone-else'] }), candidateRef(cat))).toBe(false);
    expect(await canReadPortfolio(who(mo, ['mentor'], { mentorScope: ['cat'] }), candidateRef(cat))).toBe(true);
  });

  test('the coordinator reaches every candidate in their course, never in another', async () => {
    expect(await canOnSection(who(cora, ['coordinator', 'mentor']), 'review', SECTION, candidateRef(dan))).toBe(true);
    expect(await canOnSection(who(cora, ['coordinator', 'mentor'], { courseId: OTHER_COURSE }), 'read', SECTION, candidateRef(dan))).toBe(false);
    expect(canOnCohort(who(cora, ['coordinator']), 'manage_cohort', COURSE)).toBe(true);
    expect(canOnCohort(who(mo, ['mentor']), 'manage_cohort', COURSE)).toBe(false);
  });

  test('a candidate cannot open another candidate’s portfolio or unshared sections', async () => {
    expect(await canReadPortfolio(who(dan, ['candidate']), candidateRef(cat))).toBe(false);
    expect(await canOnSection(who(stranger, ['candidate']), 'read', SECTION, candidateRef(cat))).toBe(false);
  });

  test('a co-mentor reads and comments only on the section shared with them, and never reviews', async () => {
    expect(await canOnSection(who(dan, ['candidate']), 'read', SECTION, candidateRef(cat))).toBe(true);
    expect(await canOnSection(who(dan, ['candidate']), 'comment', SECTION, candidateRef(cat))).toBe(true);
    expect(await canOnSection(who(dan, ['candidate']), 'review', SECTION, candidateRef(cat))).toBe(false);
    expect(await canOnSection(who(dan, ['candidate']), 'read', OTHER_SECTION, candidateRef(cat))).toBe(false);
    expect(await canReadPortfolio(who(dan, ['candidate']), candidateRef(cat))).toBe(false);
  });

  test('the owner reads and comments on their own section, shares it, but never reviews it', async () => {
    expect(await canOnSection(who(cat, ['candidate']), 'comment', SECTION, candidateRef(cat))).toBe(true);
    expect(await canOnSection(who(cat, ['candidate']), 'review', SECTION, candidateRef(cat))).toBe(false);
    expect(canShare(who(cat, ['candidate']), candidateRef(cat))).toBe(true);
    expect(canShare(who(dan, ['candidate']), candidateRef(cat))).toBe(false);
  });

  test('the portfolio and evidence policies let an assigned mentor read, and nobody else', async () => {
    const portfolio = { userId: cat.userId, courseId: COURSE };
    expect(await canPortfolio(who(mo, ['mentor']), 'view', portfolio)).toBe(true);
    expect(await canPortfolio(who(mo, ['mentor']), 'edit', portfolio)).toBe(false);
    expect(await canPortfolio(who(stranger, ['mentor']), 'view', portfolio)).toBe(false);
    expect(await canPortfolio(who(dan, ['candidate']), 'view', portfolio)).toBe(false); // co-mentors read through mentoring only
    expect(await canReadEvidence(who(mo, ['mentor']), { courseId: COURSE, ownerId: cat.userId })).toBe(true);
    expect(await canReadEvidence(who(stranger, ['mentor']), { courseId: COURSE, ownerId: cat.userId })).toBe(false);
    expect(await canReadEvidence(who(dan, ['candidate']), { courseId: COURSE, ownerId: cat.userId })).toBe(false);
  });

  test('authors edit their comment for 15 minutes and delete it any time; nobody else can', () => {
    const created = new Date('2026-01-01T10:00:00Z');
    const c = { authorId: mo.userId, createdAt: created, deletedAt: null };
    expect(canEditComment(who(mo, ['mentor']), c, new Date('2026-01-01T10:14:59Z'))).toBe(true);
    expect(canEditComment(who(mo, ['mentor']), c, new Date('2026-01-01T10:15:01Z'))).toBe(false);
    expect(canEditComment(who(cat, ['candidate']), c, new Date('2026-01-01T10:01:00Z'))).toBe(false);
    expect(canDeleteComment(who(mo, ['mentor']), c)).toBe(true);
    expect(canDeleteComment(who(cat, ['candidate']), c)).toBe(false);
  });
});
