import { launchAs } from '../support/launch';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ env: { LTI_AUTO_ACTIVATE: 'true' } });
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

describe('a VLE that registered itself dynamically (LTI_AUTO_ACTIVATE=true)', () => {
  it('can launch the tool as learner, teaching assistant and instructor, each landing on their page', async () => {
    const registration = await platform.registerWithTool(`${tool.baseUrl}/lti/register`);
    expect(registration.status).toBe(200);
    expect(registration.html).toContain('CMALT Portfolio is registered'); // the page's script posts org.imsglobal.lti.close
    const course = platform.course({ title: 'Registered course' });
    for (const [role, path, label] of [
      ['Learner', '/portfolio', 'Candidate'],
      ['Instructor#TeachingAssistant', '/mentoring', 'Mentor'],
      ['Instructor', '/cohort', 'Coordinator'],
    ]) {
      const user = platform.user({ name: `Dyn ${label}` });
      const s = await launchAs(tool, platform, { role, user, course });
      expect({ role, status: s.status, path: new URL(s.url).pathname }).toEqual({ role, status: 200, path });
      expect(s.html).toContain(`Dyn ${label}`);
    }
  });

  it('the CSP lets the newly registered VLE frame the tool', async () => {
    await tool.deps.platformOrigins.refresh();
    const csp = (await fetch(`${tool.baseUrl}/healthz`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(platform.issuer).origin}`);
  });
});
