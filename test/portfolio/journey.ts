import type { ToolSession } from '../support/launch';
import type { PlatformCourse, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import { aCandidate } from '../support/factories';

/** The positional form the export, files, db and perf tests call; new tests use aCandidate from test/support/factories.ts. */
export function aLaunchedCandidate(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string) {
  return aCandidate({ tool, platform }, { course, user: platform.user({ name }) });
}

export { sectionNow } from '../support/factories';

export type Session = ToolSession;
