import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';

const suite = toolSuite({ tool: { env: { LTI_AUTO_ACTIVATE: 'true' } }, register: false });

describe('a VLE that registered itself dynamically (LTI_AUTO_ACTIVATE=true)', () => {
  it('can launch the tool as learner, teaching assistant and instructor, each landing on their page', async () => {
    const registration = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(registration.status).toBe(200);
    expect(registration.html).toContain('CMALT Portfolio is registered'); // the page's script posts org.imsglobal.lti.close
    const course = suite.platform.course({ title: 'Registered course' });
    for (const [role, path, label] of [
      ['Learner', '/portfolio', 'Candidate'],
      ['Instructor#TeachingAssistant', '/mentoring', 'Mentor'],
      ['Instructor', '/cohort', 'Coordinator'],
    ]) {
      const user = suite.platform.user({ name: `Dyn ${label}` });
      const s = await launchAs(suite.tool, suite.platform, { role, user, course });
      expect({ role, status: s.status, path: new URL(s.url).pathname }).toEqual({ role, status: 200, path });
      expect(s.html).toContain(`Dyn ${label}`);
    }
  });

  it('the CSP lets the newly registered VLE frame the tool', async () => {
    await suite.tool.deps.platformOrigins.refresh();
    const csp = (await fetch(`${suite.tool.baseUrl}/admin/login`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(suite.platform.issuer).origin}`);
  });
});
