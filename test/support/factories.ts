import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { freshDatabaseUri } from './db';
import { launchAs, type ToolSession } from './launch';
import type { PlatformCourse, PlatformUser, TestPlatform } from './platform';
import type { TestTool } from './tool';
import { frameworks } from '../../src/portfolio/framework';
import { loadPortfolio, openOrCreatePortfolio } from '../../src/portfolio/portfolio.service';
import { Portfolio, Section, SectionRevision } from '../../src/portfolio/models';
import { User } from '../../src/people/user.model';

/**
 * The one place tests build people and portfolios: each is launched for real from the test VLE through ltijs, and a candidate
 * starts their portfolio through its own page. `vle` is a toolSuite()/browserSuite() (or `{ tool, platform }`).
 */
export interface Vle {
  readonly tool: TestTool;
  readonly platform: TestPlatform;
}

/** Who to launch as: a user the test already holds, or one made from a name. */
interface Person {
  course: PlatformCourse;
  user?: PlatformUser;
  name?: string;
  /** More launch options (custom parameters, role_scope_mentor...). */
  extra?: Record<string, unknown>;
}

/** A launch as `role` that must succeed; a failed launch stops the test with the tool's answer. */
export async function launched(vle: Vle, course: PlatformCourse, role: string, user: PlatformUser, extra: Record<string, unknown> = {}): Promise<ToolSession> {
  const s = await launchAs(vle.tool, vle.platform, { role, user, course, ...extra });
  if (!s.ok) throw new Error(`launch failed: ${s.status} ${s.html.slice(0, 300)}`);
  return s;
}

const personOf = (vle: Vle, p: Person, fallback: string) => p.user ?? vle.platform.user(p.name ? { name: p.name } : { name: fallback });

/** The course's coordinator (an Instructor launch). */
export async function aCoordinator(vle: Vle, p: Person) {
  const user = personOf(vle, p, 'Cora Coordinator');
  return { session: await launched(vle, p.course, 'Instructor', user, p.extra), user };
}

/** A mentor: a TeachingAssistant launch unless `role` says otherwise (e.g. 'Mentor' with role_scope_mentor). */
export async function aMentor(vle: Vle, p: Person & { role?: string }) {
  const user = personOf(vle, p, 'Mo Mentor');
  return { session: await launched(vle, p.course, p.role ?? 'TeachingAssistant', user, p.extra), user };
}

export interface CandidateOptions extends Person {
  /** 'cmalt' by default; 'senior', or a PSF descriptor with `extra: { custom: { cmalt_framework: 'psf-2023' } }`. */
  pathway?: string;
  /** The CMALT specialist area's name (CMALT and Senior pathways only). */
  specialist?: string;
}

/**
 * A candidate with a started portfolio: `id(areaId)` is a section's id, `userId` our User id. With a name and no
 * user, the person gets an email address made from the name (the notification tests read it).
 */
export async function aCandidate(vle: Vle, opts: CandidateOptions) {
  const { course, name = 'Cat Candidate', pathway = 'cmalt', specialist = 'Digital accessibility' } = opts;
  const user = opts.user ?? vle.platform.user({ name, email: `${name.replace(/\W+/g, '.').toLowerCase()}@example.ac.uk` });
  const session = await launched(vle, course, 'Learner', user, opts.extra);
  const form: Record<string, string> = { pathway };
  if (pathway === 'cmalt' || pathway === 'senior') form.name_specialist_1 = specialist;
  const started = await session.post('/portfolio/start', form);
  if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
  const me = (await User.findOne({ sub: user.id }).lean())!;
  const portfolio = (await Portfolio.findOne({ userId: String(me._id) }).sort({ _id: -1 }).lean())!;
  const sections = await Section.find({ portfolio: portfolio._id }).lean();
  const id = (areaId: string) => String(sections.find((s) => s.areaId === areaId)!._id);
  return { session, user, userId: String(me._id), portfolio, id };
}

export async function sectionNow(id: string) {
  return (await Section.findById(id).lean())!;
}

/** Writes a plain section and marks it ready for review through the candidate's own pages. */
export async function writeAndAskForReview(s: ToolSession, sectionId: string, text: string) {
  const v = (await sectionNow(sectionId)).version;
  const saved = await s.post(`/portfolio/sections/${sectionId}`, { baseVersion: String(v), format: 'text', body: text });
  if (saved.status !== 200) throw new Error(`save failed ${saved.status}`);
  const ready = await s.post(`/portfolio/sections/${sectionId}/ready`, { baseVersion: String(v + 1) });
  if (ready.status !== 200) throw new Error(`ready failed ${ready.status}`);
}

/**
 * A course in which the coordinator (Cora <who>) has assigned a mentor (Mo <who>) to a candidate (Cat <who>), who
 * has written their future plans and asked for review. `id` is that section's id.
 */
export async function aMentoredCandidate(vle: Vle, who: string) {
  const course = vle.platform.course({ title: `Course ${who}` });
  const { session: coordinator } = await aCoordinator(vle, { course, name: `Cora ${who}` });
  const { session: mo, user: moUser } = await aMentor(vle, { course, name: `Mo ${who}` });
  const cat = await aCandidate(vle, { course, name: `Cat ${who}` });
  await coordinator.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
  const id = cat.id('future-plans');
  await writeAndAskForReview(cat.session, id, 'My plans.');
  return { course, coordinator, mo, moUser, cat, id };
}

/** A page's words without its markup, for assertions about what a person reads. */
export const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

// Service-level tests, without a tool or a VLE: a database of the file's own and portfolios made by the service.

/** Each test file gets its own database; the portfolio models' indexes exist before the first test. */
export async function connectFreshDatabase(label: string): Promise<void> {
  await mongoose.connect(freshDatabaseUri(label));
  await Promise.all([Portfolio.init(), Section.init(), SectionRevision.init()]);
}

export const disconnect = () => mongoose.disconnect();

/** A candidate's portfolio with its empty sections, made by the service: aPortfolio({ pathway: 'senior' }). */
export async function aPortfolio(over: { userId?: string; courseId?: string; pathway?: string; specialistAreas?: string[] } = {}) {
  const candidate = { userId: over.userId ?? `u-${randomBytes(4).toString('hex')}`, courseId: over.courseId ?? 'course-1' };
  const pathway = over.pathway ?? 'cmalt';
  const specialistAreas = over.specialistAreas ?? (pathway === 'senior' ? ['Accessibility', 'Assessment'] : ['Accessibility']);
  const portfolio = await openOrCreatePortfolio(frameworks(), candidate, { pathway, specialistAreas });
  const loaded = await loadPortfolio(frameworks(), portfolio);
  const sectionFor = (areaId: string) => loaded.sections.find((s) => s.areaId === areaId)!;
  const target = (areaId: string, byUser = candidate.userId) => ({
    portfolioId: portfolio._id,
    sectionId: String(sectionFor(areaId)._id),
    byUser,
  });
  return { candidate, ...loaded, sectionFor, target };
}

export const anExample = (over: Partial<{ title: string; project: string; description: string; reflection: string }> = {}) => ({
  title: over.title ?? 'Moving quizzes to the new VLE',
  tags: { role: 'Learning technologist', project: over.project ?? 'VLE migration', year: '2024' },
  description: over.description ?? '<p>I planned the move of 40 quizzes.</p>',
  reflection: over.reflection ?? '<p>I learned to test with students first.</p>',
});
