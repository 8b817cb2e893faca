import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { Portfolio, Section } from '../../src/portfolio/models';
import { addExample } from '../../src/portfolio/section.service';
import { tabToAndPress } from '../support/keyboard';

/** The pages issue 19 adds, in Chromium: axe (WCAG 2.2 AA), keyboard only, and 320 px without sideways scrolling. */
const suite = browserSuite();

async function passesAt320(page: Page, name: string) {
  expect(await checkAccessibility(page)).toEqual([]);
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, `${name}-320`);
  await page.setViewportSize({ width: 1024, height: 800 });
}


test('a Fellowship candidate starts, tags a case study and reads coverage, asks a referee who writes at 320 px: all by keyboard, all passing axe', async () => {
  const page = suite.page;
  const user = suite.platform.user({ name: 'Kit Keyboard' });
  const course = suite.platform.course({ title: 'Fellowship axe course' });
  await launchTopLevelInBrowser(page, suite.tool, suite.platform, { role: 'Learner', user, course, custom: { cmalt_pathway: 'd2', cmalt_framework: 'psf-2023' } });
  await page.waitForSelector('h1:has-text("Start your Fellowship portfolio")');
  await passesAt320(page, 'psf-start');
  await tabToAndPress(page, 'button[type="submit"]');
  await page.waitForSelector('#progress-heading');
  await passesAt320(page, 'psf-overview');

  const portfolio = (await Portfolio.findOne({ frameworkId: 'psf-2023' }).lean())!;
  const study = (await Section.findOne({ portfolio: portfolio._id, areaId: 'case-studies' }).lean())!;
  const target = { portfolioId: portfolio._id, sectionId: String(study._id), byUser: portfolio.userId };
  await addExample(target, { baseVersion: 0, example: { title: 'Moving labs online', tags: { role: '', project: '', year: '' }, description: '<p>What I did.</p>', reflection: '<p>What I learned.</p>' } });

  await tabToAndPress(page, 'a[href*="/portfolio/coverage"]');
  await page.waitForSelector('h1:has-text("Coverage")');
  expect(await page.textContent('#missing-heading')).toContain('Still missing');
  await passesAt320(page, 'psf-coverage');
  await tabToAndPress(page, `a[href*="/portfolio/sections/${study._id}/dimensions"]`);
  await page.waitForSelector('h1:has-text("Dimensions")');
  await passesAt320(page, 'psf-dimensions');
  await tabToAndPress(page, 'input[value="K4"]', 'Space');
  await tabToAndPress(page, 'button[type="submit"]');
  await page.waitForSelector('text=Dimensions saved.');
  expect(await page.textContent('main')).toContain('Case studies: Moving labs online');
  expect((await Section.findById(study._id).lean())!.examples[0].dimensions).toEqual(['K4']);

  // Referees: ask one, then the referee (no VLE, another browser context) writes at 320 px.
  const ltik = new URL(page.url()).searchParams.get('ltik')!;
  await page.goto(`${suite.tool.baseUrl}/referees?ltik=${encodeURIComponent(ltik)}`);
  await passesAt320(page, 'referees');
  await page.focus('#referee-name');
  await page.keyboard.type('Prof Ruth Reader');
  await tabToAndPress(page, 'button[type="submit"]');
  await page.waitForSelector('#referee-link');
  await passesAt320(page, 'referees-link');
  const link = await page.inputValue('#referee-link');
  const referee = await (await suite.browser.newContext({ viewport: { width: 320, height: 800 } })).newPage();
  await referee.goto(link);
  await referee.waitForSelector('h1:has-text("Referee statement")');
  expect(await checkAccessibility(referee)).toEqual([]);
  expect(await referee.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await referee.focus('#statement');
  await referee.keyboard.type('I have seen Kit teach for three years.');
  await tabToAndPress(referee, 'button[type="submit"]');
  await referee.waitForSelector('text=Your statement has arrived');
  expect(await checkAccessibility(referee)).toEqual([]);
  await referee.context().close();
  await page.reload();
  expect(await page.textContent('main')).toMatch(/Arrived on/);
  const coordinator = await (await suite.browser.newContext()).newPage();
  await launchTopLevelInBrowser(coordinator, suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cy Coordinator' }), course });
  await coordinator.goto(`${suite.tool.baseUrl}/referees/course?ltik=${encodeURIComponent(new URL(coordinator.url()).searchParams.get('ltik')!)}`);
  await coordinator.waitForSelector('text=I have seen Kit teach for three years.');
  await passesAt320(coordinator, 'referee-statements-course');
  await coordinator.context().close();
});

test('CMALT start with its named areas, the overview with room for a second specialist area, and the coordinator’s length advice pass axe', async () => {
  const page = suite.page;
  const course = suite.platform.course({ title: 'Axe course' });
  await launchTopLevelInBrowser(page, suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Sue Senior' }), course });
  await page.waitForSelector('#name_advanced_1');
  await passesAt320(page, 'cmalt-start');
  await page.check('#pathway-senior');
  await page.fill('#name_specialist_1', 'Accessibility');
  await page.fill('#name_specialist_2', 'Assessment');
  await page.focus('#name_advanced_1');
  await page.keyboard.type('Promoting equality in learning technology');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#progress-heading');
  expect(await page.textContent('main')).toContain('6 Advanced area: Promoting equality in learning technology');
  await passesAt320(page, 'cmalt-overview-senior');
  const coordinator = await (await suite.browser.newContext()).newPage();
  await launchTopLevelInBrowser(coordinator, suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Coordinator' }), course });
  const ltik = new URL(coordinator.url()).searchParams.get('ltik')!;
  await coordinator.goto(`${suite.tool.baseUrl}/portfolio/length-advice?ltik=${encodeURIComponent(ltik)}`);
  await coordinator.waitForSelector('h1:has-text("Length advice")');
  await passesAt320(coordinator, 'length-advice');
  await coordinator.fill('#advice-min', '900');
  await coordinator.fill('#advice-max', '300');
  await coordinator.focus('#advice-note');
  await coordinator.keyboard.press('Enter');
  await coordinator.waitForSelector('.error-summary');
  expect(await checkAccessibility(coordinator)).toEqual([]);
  await coordinator.context().close();
});
