import mongoose, { type Connection } from 'mongoose';
import { frameworks, areasFor } from '../../src/portfolio/framework';
import { Section } from '../../src/portfolio/models';
import { applyTransition, type StateActor } from '../../src/portfolio/section-states';
import type { SectionState } from '../../src/portfolio/models';
import { Course } from '../../src/people/course.model';
import { User } from '../../src/people/user.model';
import { quietLogger } from '../../src/log';
import { createGradebookWorker, type GradebookWorker } from '../../src/gradebook';
import type { GradebookWorkerOptions } from '../../src/gradebook/worker';
import { gradeOutboxModel } from '../../src/gradebook/outbox.model';
import { aPortfolio } from '../portfolio/factories';
import { launchAs, type LaunchAsOptions } from '../support/launch';
import type { PlatformCourse, PlatformUser, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';

export const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json';
export const ISO_WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Fast retries so a test sees a whole backoff sequence; the policy's shape is what is under test. */
export const FAST: Partial<GradebookWorkerOptions> = {
  retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40 },
  timeoutMs: 1_000,
  leaseMs: 30_000,
  concurrency: 4,
};

export function aWorker(tool: TestTool, over: Partial<GradebookWorkerOptions> & { connection?: Connection } = {}): GradebookWorker {
  const { connection, ...options } = over;
  return createGradebookWorker({ lti: tool.lti, log: quietLogger(), connection, options: { ...FAST, ...options } });
}

/** The assessed areas of the default CMALT pathway, as a reader of the framework file counts them. */
export function assessedAreaIds(): string[] {
  const f = frameworks().latest('cmalt')!;
  return areasFor(f, 'cmalt', ['Accessibility']).filter((a) => a.assessed).map((a) => a.id);
}

/** A candidate who has launched from the course (so the tool knows them and the course's AGS endpoint). */
export async function aCandidate(tool: TestTool, platform: TestPlatform, course: PlatformCourse, user?: PlatformUser, launch: LaunchAsOptions = {}) {
  const person = user ?? platform.user();
  const session = await launchAs(tool, platform, { role: 'Learner', user: person, course, ...launch });
  if (!session.ok) throw new Error(`launch failed: ${session.status} ${session.html.slice(0, 200)}`);
  const dbUser = await User.findOne({ issuer: platform.issuer, sub: person.id }).lean();
  const dbCourse = await Course.findOne({ issuer: platform.issuer, contextId: course.id }).lean();
  if (!dbUser || !dbCourse) throw new Error('the launch did not record the user and course');
  const p = await aPortfolio({ userId: String(dbUser._id), courseId: String(dbCourse._id) });
  /** Walks one area along the allowed transitions to `to`, as the candidate and a mentor would. */
  const moveTo = async (areaId: string, to: SectionState) => {
    const paths: Record<SectionState, Array<[SectionState, StateActor]>> = {
      not_started: [],
      draft: [['draft', 'system']],
      ready_for_review: [['draft', 'system'], ['ready_for_review', 'candidate']],
      meets_criterion: [['draft', 'system'], ['ready_for_review', 'candidate'], ['meets_criterion', 'mentor']],
      needs_more_work: [['draft', 'system'], ['ready_for_review', 'candidate'], ['needs_more_work', 'mentor']],
    };
    const current = (await Section.findOne({ portfolio: p.portfolio._id, areaId }).lean())?.state;
    // One step back or round again (a resubmission, a withdrawn "meets"), as the candidate or a mentor would.
    const direct: Partial<Record<string, StateActor>> = { 'needs_more_work>ready_for_review': 'candidate', 'meets_criterion>needs_more_work': 'mentor' };
    const by = direct[`${current}>${to}`];
    if (by) {
      const section = (await Section.findOne({ portfolio: p.portfolio._id, areaId }).lean())!;
      const r = await applyTransition({ sectionId: section._id, to, by, expectedVersion: section.version, byUser: 'test' });
      if (!r.ok) throw new Error(`transition to ${to} refused: ${r.reason}`);
      return;
    }
    const steps = paths[to];
    const from = steps.findIndex(([state]) => state === current);
    for (const [state, by] of steps.slice(from + 1)) {
      const section = await Section.findOne({ portfolio: p.portfolio._id, areaId }).lean();
      if (!section) throw new Error(`no section ${areaId}`);
      const r = await applyTransition({ sectionId: section._id, to: state, by, expectedVersion: section.version, byUser: 'test' });
      if (!r.ok) throw new Error(`transition to ${state} refused: ${r.reason}`);
    }
  };
  return { user: person, session, userId: String(dbUser._id), courseId: String(dbCourse._id), portfolio: p.portfolio, moveTo };
}

/** Drains until nothing is pending or sending: retries with backoff fall due while we wait. */
export async function settle(...workers: GradebookWorker[]): Promise<number> {
  const conn = workers[0].context.connection;
  let sent = 0;
  for (let round = 0; round < 400; round += 1) {
    for (const r of await Promise.all(workers.map((w) => w.drainOnce()))) sent += r.sent;
    const open = await gradeOutboxModel(conn).countDocuments({ status: { $in: ['pending', 'sending'] } });
    if (!open) return sent;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the outbox did not settle');
}

export const outbox = (conn: Connection = mongoose.connection) => gradeOutboxModel(conn);

/** The AGS calls the tool made, as "METHOD path" lines (query strings kept out; they are asserted apart). */
export function agsCallLines(platform: TestPlatform): string[] {
  return platform.ags.calls.map((c) => `${c.method} ${c.path.replace(/\/ags\/contexts\/[^/]+/, '/ags/:context')}${c.status ? ` ${c.status}` : ''}`);
}
