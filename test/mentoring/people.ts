import { launchAs, type ToolSession } from '../support/launch';
import type { PlatformCourse, PlatformUser, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import { Portfolio, Section } from '../../src/portfolio/models';
import { User } from '../../src/people/user.model';

/** People of one course in the test VLE, launched for real through ltijs. */
export async function launched(tool: TestTool, platform: TestPlatform, course: PlatformCourse, role: string, user: PlatformUser, extra: Record<string, unknown> = {}): Promise<ToolSession> {
  const s = await launchAs(tool, platform, { role, user, course, ...extra });
  if (!s.ok) throw new Error(`launch failed: ${s.status} ${s.html.slice(0, 300)}`);
  return s;
}

/** A candidate with a started CMALT portfolio; section ids by area id. */
export async function aCandidate(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string) {
  const user = platform.user({ name, email: `${name.replace(/\W+/g, '.').toLowerCase()}@example.ac.uk` });
  const session = await launched(tool, platform, course, 'Learner', user);
  const started = await session.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' });
  if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
  const me = (await User.findOne({ sub: user.id }).lean())!;
  const portfolio = (await Portfolio.findOne({ userId: String(me._id) }).lean())!;
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

export const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/**
 * A course in which the coordinator (Cora <who>) has assigned a mentor (Mo <who>) to a candidate (Cat <who>), who
 * has written their future plans and asked for review. `id` is that section's id.
 */
export async function aMentoredCandidate(tool: TestTool, platform: TestPlatform, who: string) {
  const course = platform.course({ title: `Course ${who}` });
  const coordinator = await launched(tool, platform, course, 'Instructor', platform.user({ name: `Cora ${who}` }));
  const moUser = platform.user({ name: `Mo ${who}` });
  const mo = await launched(tool, platform, course, 'TeachingAssistant', moUser);
  const cat = await aCandidate(tool, platform, course, `Cat ${who}`);
  await coordinator.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
  const id = cat.id('future-plans');
  await writeAndAskForReview(cat.session, id, 'My plans.');
  return { course, coordinator, mo, moUser, cat, id };
}
