import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

describe('an error page is never a dead end', () => {
  test.each([
    ['Learner', '/portfolio/sections/0123456789abcdef01234567', 'Back to my portfolio', '/portfolio?ltik='],
    ['TeachingAssistant', '/mentoring/sections/0123456789abcdef01234567', 'Back to my candidates', '/mentoring?ltik='],
    ['Instructor', '/mentoring/candidates/0123456789abcdef01234567', 'Back to the cohort', '/cohort?ltik='],
  ])('launched as %s, a missing page offers their own start page, session kept', async (role, path, label, href) => {
    const s = await launchAs(suite.tool, suite.platform, { role });
    expect(s.ok).toBe(true);
    const page = await s.get(path);
    expect(page.status).toBe(404);
    const link = new RegExp(`<a href="([^"]+)">${label}</a>`).exec(page.html);
    expect(link).not.toBeNull();
    expect(link![1]).toContain(href);
    const back = await s.get(link![1].replace(/&amp;/g, '&'));
    expect(back.status).toBe(200);
  });

  test('someone not signed in gets no such link', async () => {
    const page = await fetch(`${suite.tool.baseUrl}/portfolio`);
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(await page.text()).not.toContain('Back to my');
  });
});
