import { copyFileSync } from 'node:fs';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { tabToText } from '../support/keyboard';
import { candidateWithPortfolio } from '../portfolio/evidence/http';
import { User } from '../../src/people/user.model';
import { Portfolio } from '../../src/portfolio/models';
import { CpdSubmission } from '../../src/cpd/models';

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

/** axe-clean and no sideways scrolling at 320 px; the screenshot kept under /tmp for looking at. */
async function goodAt320(name: string) {
  await suite.page.setViewportSize({ width: 320, height: 800 });
  expect({ name, violations: await checkAccessibility(suite.page) }).toEqual({ name, violations: [] });
  expect({ name, fits: await fitsWidth() }).toEqual({ name, fits: true });
  copyFileSync(await screenshot(suite.page, name), `/tmp/21-${name}.png`);
}

test('a certified candidate goes from the review to recording it with ALT by keyboard; the target, line manager and coordinator pages are axe-clean at 320px', async () => {
  // Set up over HTTP: a portfolio passed by ALT, an activity since, a target, the review saved, a period sent to the line manager.
  const course = suite.platform.course({ title: 'CPD in Chromium' });
  const kim = await candidateWithPortfolio(suite.tool, suite.platform, course, 'Kim Browser');
  const kimId = String((await User.findOne({ name: 'Kim Browser' }).lean())!._id);
  const portfolioId = String((await Portfolio.findOne({ userId: kimId }).lean())!._id);
  const submission = async (path: string, form: Record<string, string>) => expect((await kim.post(path, form)).status).toBe(200);
  const exportBase = `/export/portfolios/${portfolioId}/submission`;
  await submission(exportBase, { kind: 'first', route: 'url', submittedOn: '2025-03-01' });
  await submission(`${exportBase}/outcome`, { result: 'pass', decidedOn: '2025-05-20', certifiedOn: '2025-05-15' });
  const target = /\/cpd\/targets\/([a-f0-9]{24})/.exec((await kim.post('/cpd/targets', { title: 'Caption every video', source: 'own_need', dueOn: '2025-12-31' })).url)![1];
  const entry = /\/cpd\/entries\/([a-f0-9]{24})/.exec((await kim.post('/cpd/entries', { title: 'Captioning course', kind: 'course', startOn: '2025-07-01', endOn: '2025-07-01', hours: '3', targetIds: target })).url)![1];
  await submission('/cpd/review', { entryIds: entry, development: 'Captioning since my pass.' });
  const sent = await kim.post('/cpd/periods/2025-07/submit', { reviewer: 'line_manager', reviewerName: 'Lee Manager', reviewerEmail: 'lee@college.ac.uk', progress: 'Captions.' });
  const managerLink = /(http:\/\/[^"<\s]+\/cpd-review\/[A-Za-z0-9_.-]+)/.exec(sent.html)![1];

  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', user: kim.launch.user, course });
  const kimLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
  const asKim = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(kimLtik)}`;

  await suite.page.goto(asKim('/cpd/review'));
  expect(await suite.page.textContent('main')).toContain('Certified 15 May 2025 (from your ALT result)');
  await goodAt320('cpd-review-from-alt-320');
  await tabToText(suite.page, suite.page.mainFrame(), 'Record the submission of this review with ALT', 200);
  await Promise.all([suite.page.waitForURL(/\/submission\?kind=review/), suite.page.keyboard.press('Enter')]);
  expect(await suite.page.isChecked('#kind-review')).toBe(true);
  expect(await suite.page.isChecked('#route-file')).toBe(true);
  expect(await suite.page.textContent('#document-heading')).toContain('CMALT review of Kim Browser');
  await goodAt320('export-submission-review-offered-320');
  await suite.page.focus('#submittedOn');
  await Promise.all([suite.page.waitForURL(/done=submitted/), suite.page.keyboard.press('Enter')]);
  await tabToText(suite.page, suite.page.mainFrame(), 'Back to your CMALT review', 200);
  await Promise.all([suite.page.waitForURL(/\/cpd\/review/), suite.page.keyboard.press('Enter')]);
  expect(await suite.page.textContent('#review-submitted')).toMatch(/Your review was submitted to ALT on .* ALT has not decided yet\./);
  await goodAt320('cpd-review-submitted-320');

  // The target's page with its evaluation form, and the new-activity form.
  await suite.page.goto(asKim(`/cpd/targets/${target}`));
  await goodAt320('cpd-target-evaluate-320');
  await suite.page.goto(asKim('/cpd/entries/new'));
  await goodAt320('cpd-entry-new-320');

  // The line manager: no VLE, no session; acknowledges by keyboard.
  await suite.page.goto(managerLink);
  await goodAt320('cpd-line-manager-320');
  await suite.page.focus('#ack-comment');
  await suite.page.keyboard.type('Good work on captions.');
  await tabToText(suite.page, suite.page.mainFrame(), 'Acknowledge', 20);
  await Promise.all([suite.page.waitForSelector('text=can now see your comment'), suite.page.keyboard.press('Enter')]);
  await goodAt320('cpd-line-manager-acknowledged-320');

  // The coordinator's view of a period submitted to them in the VLE.
  await kim.post('/cpd/entries', { title: 'Autumn webinar', kind: 'event', startOn: '2025-09-10', endOn: '2025-09-10', hours: '1' });
  expect((await kim.post('/cpd/periods/2025-09/submit', { reviewer: 'coordinator', progress: 'Webinar.' })).status).toBe(200);
  const toCoordinator = (await CpdSubmission.findOne({ ownerName: 'Kim Browser', reviewer: 'coordinator' }).lean())!;
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cam Coordinator' }), course });
  const camLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
  await suite.page.goto(`${suite.tool.baseUrl}/cpd/course/submissions/${toCoordinator._id}?ltik=${encodeURIComponent(camLtik)}`);
  const shown = (await suite.page.textContent('main'))!.replace(/\s+/g, ' ');
  expect(shown).toContain('Autumn webinar');
  expect(shown).toContain('10 September 2025 · 1 hour'); // one hour, not "1 hours"
  expect(shown).not.toContain('1 hours');
  await goodAt320('cpd-coordinator-submission-320');
});
