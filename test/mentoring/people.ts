import type { ToolSession } from '../support/launch';
import type { PlatformCourse, PlatformUser, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import * as factories from '../support/factories';

/**
 * The positional forms of test/support/factories.ts that the cohort, export, gradebook and scheme tests still call;
 * new tests use the factories themselves.
 */
export function launched(tool: TestTool, platform: TestPlatform, course: PlatformCourse, role: string, user: PlatformUser, extra: Record<string, unknown> = {}): Promise<ToolSession> {
  return factories.launched({ tool, platform }, course, role, user, extra);
}

export function aCandidate(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string, known?: PlatformUser) {
  return factories.aCandidate({ tool, platform }, { course, name, user: known });
}

export function aMentoredCandidate(tool: TestTool, platform: TestPlatform, who: string) {
  return factories.aMentoredCandidate({ tool, platform }, who);
}

export { sectionNow, text, writeAndAskForReview } from '../support/factories';
