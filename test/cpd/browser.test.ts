import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });
let ltik: string;
const at = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;
const fitsWidth = () => suite.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

beforeAll(async () => {
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Casey Coordinator' }) });
  ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
});

test('every CPD page is axe-clean and fits 320px; an activity is added by keyboard and then autosaved', async () => {
  await suite.page.setViewportSize({ width: 320, height: 800 });
  await suite.page.goto(at('/cpd/targets'));
  await suite.page.fill('#target-title', 'Use formative quizzes');
  await suite.page.fill('#target-due', '2027-06-30');
  await Promise.all([suite.page.waitForURL(/\/cpd\/targets\/[a-f0-9]{24}/), suite.page.click('button[type="submit"]')]);

  await suite.page.goto(at('/cpd/entries/new'));
  await suite.page.focus('#entry-title');
  await suite.page.keyboard.type('Accessibility webinar');
  await suite.page.fill('#entry-hours', '2');
  await suite.page.focus('input[name="targetIds"]');
  await suite.page.keyboard.press('Space');
  await suite.page.focus('button[type="submit"]');
  await Promise.all([suite.page.waitForURL(/\/cpd\/entries\/[a-f0-9]{24}/), suite.page.keyboard.press('Enter')]);
  expect(await suite.page.isChecked('input[name="targetIds"]')).toBe(true);

  // Autosave: typing in an existing activity saves it without pressing the button.
  await suite.page.fill('#entry-reflection', 'Captions matter.');
  await suite.page.focus('#entry-use');
  await suite.page.waitForFunction(() => /Saved/.test(document.getElementById('save-status')?.textContent ?? ''));
  await suite.page.reload();
  expect(await suite.page.inputValue('#entry-reflection')).toBe('Captions matter.');

  for (const path of [suite.page.url().replace(suite.tool.baseUrl, '').split('?')[0], '/cpd', '/cpd/targets', '/cpd/training', '/cpd/periods', '/cpd/profile', '/cpd/review', '/cpd/hours', '/cpd/course']) {
    await suite.page.goto(at(path));
    expect({ path, violations: await checkAccessibility(suite.page) }).toEqual({ path, violations: [] });
    expect({ path, fits: await fitsWidth() }).toEqual({ path, fits: true });
  }
  await screenshot(suite.page, 'cpd-course-320');

  // The CMALT review by keyboard: certification date, an activity chosen, a section written; then the export links.
  await suite.page.goto(at('/cpd/review'));
  await suite.page.fill('#certified-on', new Date().toISOString().slice(0, 10));
  await suite.page.focus('#certified-on');
  await Promise.all([suite.page.waitForURL(/done=certified/), suite.page.keyboard.press('Enter')]);
  await suite.page.focus('input[name="entryIds"]');
  await suite.page.keyboard.press('Space');
  await suite.page.focus('#section-development');
  await suite.page.keyboard.type('Accessibility webinars since certification.');
  await suite.page.focus('form[action*="/cpd/review?"] button[type="submit"], form[action$="/cpd/review"] button[type="submit"]');
  await Promise.all([suite.page.waitForURL(/done=review/), suite.page.keyboard.press('Enter')]);
  const pdfLink = suite.page.getByRole('link', { name: 'Download the review as PDF' });
  await pdfLink.focus();
  expect(await pdfLink.evaluate((a) => a === document.activeElement)).toBe(true);
  expect(await pdfLink.getAttribute('href')).toMatch(/\/export\/documents\/cmalt-review\/[a-f0-9]{24}\/pdf/);
  expect(await checkAccessibility(suite.page)).toEqual([]);
  expect(await fitsWidth()).toBe(true);
  await screenshot(suite.page, 'cpd-review-export-320');
  await suite.page.goto(at('/cpd'));
  await screenshot(suite.page, 'cpd-record-320');
});
