import { launchAs, type ToolSession } from '../support/launch';
import type { PlatformCourse, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import { Portfolio, Section } from '../../src/portfolio/models';

/** A candidate launched from the test VLE who has started a CMALT portfolio; section ids by area. */
export async function aLaunchedCandidate(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string) {
  const user = platform.user({ name });
  const session = await launchAs(tool, platform, { role: 'Learner', user, course });
  if (!session.ok) throw new Error(`launch failed: ${session.status} ${session.html.slice(0, 300)}`);
  const started = await session.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' });
  if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
  const portfolio = await Portfolio.findOne().sort({ createdAt: -1 }).lean();
  const sections = await Section.find({ portfolio: portfolio!._id }).lean();
  const id = (areaId: string) => String(sections.find((s) => s.areaId === areaId)!._id);
  return { session, user, portfolio: portfolio!, id };
}

export async function sectionNow(id: string) {
  return (await Section.findById(id).lean())!;
}

export type Session = ToolSession;
