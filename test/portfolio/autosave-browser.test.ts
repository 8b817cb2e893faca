import jwt from 'jsonwebtoken';
import type { Frame, Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { aMentoredCandidate, sectionNow } from '../support/factories';
import { Notification } from '../../src/notifications/models';
import { Portfolio, Section } from '../../src/portfolio/models';
import { Plan } from '../../src/portfolio/planning/plan.model';
import { until } from '../support/until';

/**
 * Writing without losing a word (issue 16), as a person does it in Chromium: the autosave delay is set short
 * from the page (data-autosave-delay), and every wait is for something the page or the database shows.
 */
const suite = browserSuite();
const FAST = '150';

async function candidate(name: string, target: Page = suite.page) {
  const user = suite.platform.user({ name });
  await launchTopLevelInBrowser(target, suite.tool, suite.platform, { role: 'Learner', user });
  await target.fill('#name_specialist_1', 'Digital accessibility');
  await target.click('button[type="submit"]');
  await target.waitForSelector('#progress-heading');
  const portfolio = (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!;
  const sections = await Section.find({ portfolio: portfolio._id }).lean();
  const id = (areaId: string) => String(sections.find((s) => s.areaId === areaId)!._id);
  return { id, user, ltik: new URL(target.url()).searchParams.get('ltik')!, portfolio };
}

const url = (path: string, ltik: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

/** Opens a section with its editors ready and the autosave delay set on the page. */
async function openSection(p: Page, id: string, ltik: string, delay = FAST) {
  await p.goto(url(`/portfolio/sections/${id}`, ltik));
  await p.waitForFunction(() => ((list) => list.length > 0 && list.every((e) => (e as unknown as { editor?: unknown }).editor))(Array.from(document.querySelectorAll('trix-editor'))));
  await p.evaluate((d) => document.body.setAttribute('data-autosave-delay', d), delay);
}

const examplesOf = async (id: string) => (await Section.findById(id).lean())!.examples;
const statusOf = (p: Page | Frame) => p.locator('#save-status');

describe('autosave in Chromium', () => {
  test('a new example survives leaving the page (which asks first), a refused write and an ended session; focus lands on it once added', async () => {
    const { id, ltik } = await candidate('Nell Newexample');
    const page = suite.page;
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.type()), d.accept()));

    // 1. Typed in "Add an example", then straight to "My portfolio" before any save: the page asks, and nothing is lost.
    // (The server cannot be reached meanwhile, so the text is certainly not saved when the link is followed.)
    const unreachable = (p: Page) => p.route('**/portfolio/sections/**', (route) => (route.request().method() === 'PUT' ? route.abort('connectionrefused') : route.continue()));
    await openSection(page, id('1a'), ltik, '60000');
    await unreachable(page);
    await page.fill('#new-title', 'Lecture capture options appraisal');
    await page.click('trix-editor#new-description');
    await page.keyboard.type('I led the options appraisal for lecture capture.');
    await page.click('nav a:text-is("My portfolio")');
    await page.waitForSelector('#progress-heading');
    expect(dialogs).toContain('beforeunload');
    expect(await examplesOf(id('1a'))).toEqual([]);
    await page.unroute('**/portfolio/sections/**');
    await openSection(page, id('1a'), ltik); // the kept text is put back and saved
    await statusOf(page).filter({ hasText: /New example: Saved \d\d:\d\d/ }).waitFor({ timeout: 30000 }).catch(async (e) => {
      console.log('DEBUG', page.url(), await statusOf(page).textContent(), JSON.stringify(await examplesOf(id('1a'))), await page.evaluate(() => JSON.stringify(localStorage)));
      throw e;
    });
    expect((await examplesOf(id('1a'))).map((e) => [e.title, e.description])).toEqual([['Lecture capture options appraisal', '<p>I led the options appraisal for lecture capture.</p>']]);
    const exampleId = String((await examplesOf(id('1a')))[0]._id);
    await openSection(page, id('1a'), ltik);
    await page.waitForSelector(`trix-editor#ex-${exampleId}-reflection`);
    await page.waitForSelector('h3:has-text("Example 1: Lecture capture options appraisal")');
    expect(await page.inputValue('#new-title')).toBe(''); // the draft now has its own form, not the "Add" one

    // 2. The server refuses the connection: the page says the text is kept on this computer, and saves it once it can.
    await page.evaluate((d) => document.body.setAttribute('data-autosave-delay', d), FAST);
    await unreachable(page);
    await page.focus(`trix-editor#ex-${exampleId}-reflection`);
    await page.keyboard.type('I learned to ask the students first.');
    await statusOf(page).filter({ hasText: 'could not be saved on the server; it is kept on this computer' }).waitFor();
    expect(await page.evaluate(() => JSON.stringify(localStorage))).toContain('ask the students first');
    await screenshot(page, 'autosave-server-refused');
    await page.unroute('**/portfolio/sections/**');
    await statusOf(page).filter({ hasText: /Saved \d\d:\d\d/ }).waitFor();
    expect((await examplesOf(id('1a')))[0].reflection).toContain('ask the students first');

    // 3. The session ended (an ltik older than the session length): kept on this device, saved after launching again.
    const claims = jwt.decode(ltik) as Record<string, unknown>;
    const aged = jwt.sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 24 * 3600 }, suite.tool.config.ltiKey);
    await page.evaluate((t) => document.querySelector('meta[name="ltik"]')!.setAttribute('content', t), aged);
    await page.focus(`trix-editor#ex-${exampleId}-reflection`);
    await page.keyboard.press('End');
    await page.keyboard.type(' Written after the session ended.');
    await statusOf(page).filter({ hasText: 'Your session has ended' }).waitFor();
    expect(await statusOf(page).textContent()).toContain('Your text is kept on this device');
    expect((await examplesOf(id('1a')))[0].reflection).not.toContain('after the session ended');
    await openSection(page, id('1a'), ltik); // as if launched again from the course
    await until('the kept text is saved', async () => (await examplesOf(id('1a')))[0].reflection.includes('after the session ended'));

    // 4. "Add example" with the form: the page shows the new example and focus lands on it.
    await page.fill('#new-title', 'Captioning pilot');
    await page.click('trix-editor#new-description');
    await page.keyboard.type('I ran a captioning pilot.');
    await page.click('button:text-is("Add example")');
    await page.waitForSelector('h3:has-text("Example 2: Captioning pilot")');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Example 2: Captioning pilot');
    expect((await examplesOf(id('1a'))).map((e) => e.title)).toEqual(['Lecture capture options appraisal', 'Captioning pilot']);

    // 5. Planning notes: a new note's text is kept while typed; a note edited just before the tab closed is saved on return.
    await page.goto(url('/portfolio/planning/areas/1a', ltik));
    await page.fill('#new-note-did', 'Compared lecture capture tools.');
    await page.goto(url('/portfolio/planning/areas/1a', ltik));
    expect(await page.inputValue('#new-note-did')).toBe('Compared lecture capture tools.');
    await page.fill('#new-note-learned', 'Students cared most about captions.');
    await page.fill('#new-note-proof', 'The appraisal report.');
    await page.click('button:text-is("Add note")');
    const note = page.locator('form[data-autosave-key^="planning:note:"]').first();
    await note.waitFor();
    await page.evaluate((d) => document.body.setAttribute('data-autosave-delay', d), '60000');
    await note.locator('textarea[name="learned"]').fill('Students cared most about captions, then cost.');
    await page.close({ runBeforeUnload: true }); // long before the (60 s) autosave delay
    const again = await suite.context.newPage();
    await again.goto(url('/portfolio/planning/areas/1a', ltik));
    await until('the note is saved', async () => JSON.stringify(await Plan.findOne().sort({ updatedAt: -1 }).lean()).includes('then cost.'));
    expect(await again.inputValue('#new-note-did')).toBe(''); // the added note's draft was sent with its form
  });

  test('two tabs: edits to two examples both save; edits to one example merge keeping both; the toolbar is one tab stop', async () => {
    const { id, ltik } = await candidate('Tom Twotabs');
    const example = (title: string) => ({ title, tags: { role: '', project: '', year: '' }, description: '<p>What I did.</p>', reflection: '<p>What I learned.</p>', evidenceIds: [] });
    await Section.updateOne({ _id: id('1a') }, { $set: { examples: [example('First'), example('Second')], state: 'draft' } });
    const [first, second] = (await examplesOf(id('1a'))).map((e) => String(e._id));
    const tabA = suite.page;
    const tabB = await suite.context.newPage();
    await openSection(tabA, id('1a'), ltik);
    await openSection(tabB, id('1a'), ltik);

    // Different examples: no conflict at all.
    await tabA.fill(`#ex-${first}-title`, 'First, from tab A');
    await tabB.fill(`#ex-${second}-title`, 'Second, from tab B');
    await statusOf(tabA).filter({ hasText: /Example 1: Saved/ }).waitFor();
    await statusOf(tabB).filter({ hasText: /Example 2: Saved/ }).waitFor();
    expect((await examplesOf(id('1a'))).map((e) => e.title)).toEqual(['First, from tab A', 'Second, from tab B']);

    // The same example, different parts of it: merged three ways, both kept, and tab A's text remains in the history.
    await tabA.click(`trix-editor#ex-${first}-description`);
    await tabA.keyboard.press('End');
    await tabA.keyboard.type(' Tab A adds this.');
    await statusOf(tabA).filter({ hasText: /Example 1: Saved/ }).waitFor();
    await until('tab A saved', async () => (await examplesOf(id('1a')))[0].description.includes('Tab A adds this.'));
    await tabB.click(`trix-editor#ex-${first}-reflection`);
    await tabB.keyboard.press('End');
    await tabB.keyboard.type(' Tab B adds that.');
    await until('tab B merged', async () => (await examplesOf(id('1a')))[0].reflection.includes('Tab B adds that.'));
    await tabB.locator(`trix-editor#ex-${first}-description`, { hasText: 'Tab A adds this.' }).waitFor(); // tab B shows the merged text
    const merged = (await examplesOf(id('1a')))[0];
    expect(merged.description).toBe('<p>What I did. Tab A adds this.</p>');
    expect(merged.reflection).toBe('<p>What I learned. Tab B adds that.</p>');
    expect(await tabB.isHidden('#conflict-panel')).toBe(true);

    // Keyboard: the toolbar is one tab stop (role=toolbar), arrows move inside it.
    await tabA.focus(`#ex-${second}-title`);
    const stops: string[] = [];
    for (let i = 0; i < 8 && stops[stops.length - 1] !== `ex-${second}-description`; i++) {
      await tabA.keyboard.press('Tab');
      stops.push(await tabA.evaluate(() => (document.activeElement?.closest('[role="toolbar"]') ? 'toolbar' : document.activeElement?.id ?? '')));
    }
    expect(stops).toEqual([`ex-${second}-role`, `ex-${second}-project`, `ex-${second}-year`, 'toolbar', `ex-${second}-description`]);
    await tabA.keyboard.press('Shift+Tab');
    const firstButton = await tabA.evaluate(() => document.activeElement?.getAttribute('title'));
    await tabA.keyboard.press('ArrowRight');
    expect(await tabA.evaluate(() => document.activeElement?.getAttribute('title'))).not.toBe(firstButton);
    expect(await tabA.evaluate(() => document.activeElement?.getAttribute('tabindex'))).toBe('0');
    await tabB.close();
  });

  test('an approved area edited goes back to the mentor: notification, dashboard, banner; comments being typed survive a closed tab; axe with best practice at 320 px', async () => {
    const { course, mo, moUser, cat, id } = await aMentoredCandidate(suite, 'Approved');
    const reviewed = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'meets_criterion', feedback: '', expectedVersion: String((await sectionNow(id)).version) });
    expect(reviewed.status).toBe(200);
    expect((await sectionNow(id)).state).toBe('meets_criterion');

    // The candidate edits the approved section.
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', user: cat.user, course });
    const catLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
    await openSection(suite.page, id, catLtik);
    await suite.page.click('trix-editor#body');
    await suite.page.keyboard.press('End');
    await suite.page.keyboard.type(' A new paragraph after approval.');
    await statusOf(suite.page).filter({ hasText: /Saved/ }).waitFor();
    await until('marked changed since approved', async () => !!(await sectionNow(id)).approvedChangedAt);
    await until('the mentor is told', async () => (await Notification.countDocuments({ kind: 'changed_after_approval' })) > 0);

    // The mentor sees it on the dashboard and the section, by keyboard, and confirms; axe with best practice, also at 320 px.
    const mentorPage = await suite.context.newPage();
    await launchTopLevelInBrowser(mentorPage, suite.tool, suite.platform, { role: 'TeachingAssistant', user: moUser, course });
    await mentorPage.waitForSelector('#changed-heading');
    expect(await mentorPage.textContent('main')).toContain('Future plans');
    for (const width of [1024, 320]) {
      await mentorPage.setViewportSize({ width, height: 800 });
      expect(await checkAccessibility(mentorPage, { bestPractice: true })).toEqual([]);
    }
    await screenshot(mentorPage, 'mentor-dashboard-changed-after-approval-320');
    await mentorPage.setViewportSize({ width: 1024, height: 800 });
    // From the top of the page, Tab until the first link in the "changed since approved" list (a heading takes no focus).
    await mentorPage.focus('body');
    for (let i = 0; i < 60 && !(await mentorPage.evaluate(() => document.activeElement?.closest('#changed-heading + p + ol'))); i++) await mentorPage.keyboard.press('Tab');
    expect(await mentorPage.evaluate(() => !!document.activeElement?.closest('#changed-heading + p + ol'))).toBe(true);
    await mentorPage.keyboard.press('Enter');
    await mentorPage.waitForSelector('#changed-since-approval');
    expect(await mentorPage.textContent('#changed-since-approval')).toContain('Changed since it was approved');
    const notes = await Notification.find({ kind: 'changed_after_approval' }).lean();
    expect(notes[0].text).toContain('changed Future plans after it was approved');
    for (const width of [1024, 320]) {
      await mentorPage.setViewportSize({ width, height: 800 });
      expect(await checkAccessibility(mentorPage, { bestPractice: true })).toEqual([]);
    }
    await screenshot(mentorPage, 'mentor-section-changed-after-approval-320');

    // A comment being typed survives a closed tab.
    await mentorPage.fill('#new-comment-section', 'Good addition; can you say which department?');
    const mentorUrl = mentorPage.url();
    await mentorPage.close({ runBeforeUnload: true });
    const again = await suite.context.newPage();
    await again.goto(mentorUrl);
    await again.waitForSelector('#new-comment-section');
    expect(await again.inputValue('#new-comment-section')).toBe('Good addition; can you say which department?');

    // Confirming the decision clears the mark.
    await again.check('#decision-meets');
    await again.click('button:text-is("Save review")');
    await again.waitForSelector('#reviews-heading');
    expect((await sectionNow(id)).approvedChangedAt).toBeNull();
    expect((await sectionNow(id)).state).toBe('meets_criterion');
  });

  test('keyboard and 320 px walks of the candidate\'s, mentor\'s and coordinator\'s main pages: axe with best practice, no sideways scrolling, visible focus', async () => {
    const { course, coordinator, moUser, cat } = await aMentoredCandidate(suite, 'Walk');
    void coordinator;
    const example = (title: string) => ({ title, tags: { role: 'Lead', project: 'Lecture capture', year: '2024' }, description: '<p>What I did.</p>', reflection: '<p>What I learned.</p>', evidenceIds: [] });
    await Section.updateOne({ _id: cat.id('1a') }, { $set: { examples: [example('First'), example('Second')], state: 'draft' } });
    const walk = async (p: Page, paths: string[], ltik: string) => {
      for (const path of paths) {
        await p.goto(url(path, ltik));
        await p.waitForSelector('h1');
        for (const width of [1024, 320]) {
          await p.setViewportSize({ width, height: 800 });
          expect({ path, width, violations: await checkAccessibility(p, { bestPractice: true }) }).toEqual({ path, width, violations: [] });
          // Nothing sticks out sideways, except inside a table's own scrolling region.
          const sticksOut = await p.evaluate(() =>
            Array.from(document.querySelectorAll('body *'))
              .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 3)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 40)}`),
          );
          const sideways = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
          expect({ path, width, sticksOut, sideways }).toEqual({ path, width, sticksOut: [], sideways: false });
        }
        await screenshot(p, `walk-320${path.replace(/\/[0-9a-f]{24}/g, '/id')}`);
        await p.setViewportSize({ width: 1024, height: 800 });
        // By keyboard: the first stops are the skip link, then every stop shows where focus is.
        await p.focus('body');
        for (let i = 0; i < 12; i++) {
          await p.keyboard.press('Tab');
          const shown = await p.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            if (!el || el === document.body) return true;
            const st = getComputedStyle(el);
            return st.outlineStyle !== 'none' || st.boxShadow !== 'none';
          });
          expect({ path, stop: i, shown }).toEqual({ path, stop: i, shown: true });
        }
      }
    };
    const cand = await suite.context.newPage();
    await launchTopLevelInBrowser(cand, suite.tool, suite.platform, { role: 'Learner', user: cat.user, course });
    const candLtik = new URL(cand.url()).searchParams.get('ltik')!;
    await walk(cand, ['/portfolio', `/portfolio/sections/${cat.id('1a')}`, '/portfolio/planning', '/portfolio/planning/areas/1a', '/mentoring/notifications'], candLtik);
    const mentor = await suite.context.newPage();
    await launchTopLevelInBrowser(mentor, suite.tool, suite.platform, { role: 'TeachingAssistant', user: moUser, course });
    const moLtik = new URL(mentor.url()).searchParams.get('ltik')!;
    await walk(mentor, ['/mentoring', `/mentoring/candidates/${String(cat.portfolio._id)}`, `/mentoring/sections/${cat.id('1a')}`, `/mentoring/sections/${cat.id('future-plans')}`], moLtik);
    const cora = await suite.context.newPage();
    const coraUser = suite.platform.user({ name: 'Cora Walk' });
    await launchTopLevelInBrowser(cora, suite.tool, suite.platform, { role: 'Instructor', user: coraUser, course });
    const coraLtik = new URL(cora.url()).searchParams.get('ltik')!;
    await walk(cora, ['/roster', '/cohort', '/gradebook'], coraLtik);
    expect(new URL(cora.url()).pathname).toBe('/gradebook');
  });
});
