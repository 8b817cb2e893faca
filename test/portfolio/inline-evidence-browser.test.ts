import type { FileChooser, Page } from 'playwright-core';
import { Evidence } from '../../src/portfolio/evidence/evidence.model';
import { addLinkEvidence } from '../../src/portfolio/evidence/evidence.service';
import { Portfolio, Section, type SectionDoc } from '../../src/portfolio/models';
import { addExample, contentOf } from '../../src/portfolio/section.service';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { aPng } from './evidence/http';
import { tabTo } from '../support/keyboard';

/**
 * Evidence beside an example, in Chromium and by keyboard (issue 16): a file and a link added and a library item
 * linked without leaving the section page, a picture shown as a thumbnail, the draft example taking evidence,
 * the upload limit and quota said plainly, and full-page actions landing back on what they changed.
 */
const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared', tool: { env: { UPLOAD_LIMIT_MB: '1', STORAGE_QUOTA_MB: '1.5' } } });
let ltik: string;
let sectionId: string;
let exampleId: string;
let owner: { courseId: string; userId: string };

const page = (): Page => suite.page;
const at = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;
const sectionNow = async () => (await Section.findById(sectionId).lean()) as SectionDoc;
const exampleNow = async (id = exampleId) => contentOf(await sectionNow()).examples.find((e) => e._id === id)!;
const picker = (id = exampleId) => `[data-evidence-picker][data-example-id="${id}"]`;
const focused = () => page().evaluate(() => document.activeElement?.id ?? '');
const fitsWidth = () => page().evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(size, 0x20)]);


/** Space on the focused file input opens the chooser (pressed again if headless Chromium drops the first press). */
async function openFileChooserByKeyboard(): Promise<FileChooser> {
  for (let attempt = 1; ; attempt++) {
    const chooser = page().waitForEvent('filechooser', { timeout: 5000 });
    await page().keyboard.press('Space');
    try {
      return await chooser;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** The section page with its editors started; focus starts at the top, as after opening it. */
async function openSection(hash = '') {
  await page().goto(at(`/portfolio/sections/${sectionId}`) + hash);
  await page().waitForFunction(() => {
    const editors = Array.from(document.querySelectorAll('trix-editor'));
    return editors.length > 0 && editors.every((e) => (e as unknown as { editor?: unknown }).editor);
  });
  await page().evaluate(() => document.body.setAttribute('data-autosave-delay', '150'));
}

/** After a full-page action: focus is on what changed, as the address's anchor names it. */
async function focusLandsOn(id: string) {
  await page().waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 10000 }).catch(async (e) => {
    console.log('DEBUG', page().url(), errors, await page().evaluate(() => [document.activeElement?.tagName, document.activeElement?.id, document.readyState, document.hasFocus()]));
    throw e;
  });
}
const errors: string[] = [];

/** Marks this page, so a test can tell that no navigation happened since. */
const markPage = () => page().evaluate(() => ((window as unknown as { stayed: string }).stayed = 'yes'));
const stillSamePage = () => page().evaluate(() => (window as unknown as { stayed?: string }).stayed === 'yes');

beforeAll(async () => {
  page().on('pageerror', (e) => errors.push(String(e)));
  page().on('console', (m) => errors.push(m.text()));
  await launchTopLevelInBrowser(page(), suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Ivy Inline' }) });
  await page().fill('#name_specialist_1', 'Digital accessibility');
  await page().click('button[type="submit"]');
  await page().waitForSelector('#progress-heading');
  ltik = new URL(page().url()).searchParams.get('ltik')!;
  const portfolio = (await Portfolio.findOne().lean())!;
  owner = { courseId: portfolio.courseId, userId: portfolio.userId };
  const section = (await Section.findOne({ portfolio: portfolio._id, areaId: '1a' }).lean())!;
  sectionId = String(section._id);
  const added = await addExample(
    { portfolioId: portfolio._id, sectionId, byUser: owner.userId },
    { baseVersion: section.version, example: { title: 'Alt text workshop', tags: { role: '', project: '', year: '' }, description: 'I ran a workshop.', reflection: 'I learned a lot.' }, format: 'text' },
  );
  if (!added.ok) throw new Error('no example');
  exampleId = contentOf(added.section).examples[0]._id;
  await addLinkEvidence(owner, { title: 'Timetable of the pilot', url: 'https://example.org/timetable', date: '', description: '', tags: [] });
});

test('keyboard only: upload a picture and add a link from an example without leaving the page, see the preview, link a library item', async () => {
  await openSection();
  await markPage();
  const p = `evidence-picker-${exampleId}`;
  await tabTo(page(), `${picker()} summary`);
  await page().keyboard.press('Enter');
  expect(await page().evaluate((s) => (document.querySelector(s) as HTMLDetailsElement).open, `${picker()} details`)).toBe(true);

  // A picture: its title is its description, and it shows as a thumbnail once added.
  await tabTo(page(), `#${p}-file-title`);
  await page().keyboard.type('Whiteboard after the workshop');
  await tabTo(page(), `#${p}-file`);
  await (await openFileChooserByKeyboard()).setFiles({ name: 'board.png', mimeType: 'image/png', buffer: aPng(160, 120) });
  await tabTo(page(), `${picker()} form[data-evidence-inline="file"] button[type="submit"]`);
  await page().keyboard.press('Enter');
  const thumb = `${picker()} li img.evidence-thumb`;
  await page().waitForFunction((s) => {
    const img = document.querySelector(s) as HTMLImageElement | null;
    return Boolean(img && img.complete && img.naturalWidth === 160);
  }, thumb);
  expect(await page().getAttribute(thumb, 'alt')).toBe('Whiteboard after the workshop');
  const picture = await Evidence.findOne({ title: 'Whiteboard after the workshop' }).lean();
  expect(await focused()).toBe(`ev-${exampleId}-${picture!._id}`);
  expect(await page().textContent(`${picker()} [data-picker-status]`)).toContain('was added to your library and linked to this example');
  expect(await page().inputValue(`#${p}-file-title`)).toBe(''); // ready for the next one

  // A web link.
  await tabTo(page(), `#${p}-url`);
  await page().keyboard.type('https://example.org/pilot-report');
  await tabTo(page(), `#${p}-link-title`);
  await page().keyboard.type('Pilot report');
  await tabTo(page(), `${picker()} form[data-evidence-inline="link"] button[type="submit"]`);
  await page().keyboard.press('Enter');
  await page().waitForSelector(`${picker()} li:has-text("Pilot report")`);
  const report = await Evidence.findOne({ title: 'Pilot report' }).lean();
  expect(await focused()).toBe(`ev-${exampleId}-${report!._id}`);

  // An item already in the library.
  await tabTo(page(), `#${p}-choice`);
  expect(await page().$$eval(`#${p}-choice option`, (o) => o.map((x) => x.textContent))).toEqual(['Timetable of the pilot (Link)']);
  await tabTo(page(), `${picker()} form[data-evidence-inline="attach"] button[type="submit"]`);
  await page().keyboard.press('Enter');
  await page().waitForSelector(`${picker()} li:has-text("Timetable of the pilot")`);
  const timetable = await Evidence.findOne({ title: 'Timetable of the pilot' }).lean();
  expect(await focused()).toBe(`ev-${exampleId}-${timetable!._id}`);
  expect(await page().isHidden(`${picker()} form[data-evidence-inline="attach"]`)).toBe(true); // nothing left to link

  expect(await stillSamePage()).toBe(true);
  expect((await exampleNow()).evidenceIds).toEqual([String(picture!._id), String(report!._id), String(timetable!._id)]);
  expect(await page().textContent(`[data-evidence-count="${exampleId}"]`)).toBe('3');
  expect(await checkAccessibility(page(), { bestPractice: true })).toEqual([]);
  await page().focus(`#ev-${exampleId}-${picture!._id}`);
  await screenshot(page(), 'inline-evidence-added');
  await page().setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth()).toBe(true);
  expect(await checkAccessibility(page(), { bestPractice: true })).toEqual([]);
  await screenshot(page(), 'inline-evidence-320');
  await page().setViewportSize({ width: 1280, height: 800 });

  // Unlinking: the item leaves the list, is offered again, and focus goes to the example's evidence heading.
  await page().focus(`#ev-${exampleId}-${report!._id}`);
  await tabTo(page(), `#ev-${exampleId}-${report!._id} button`);
  await page().keyboard.press('Enter');
  await page().waitForSelector(`${picker()} li:has-text("Pilot report")`, { state: 'detached' });
  expect(await focused()).toBe(`${p}-heading`);
  expect(await page().$$eval(`#${p}-choice option`, (o) => o.map((x) => x.textContent))).toEqual(['Pilot report (Link)']);
  expect((await exampleNow()).evidenceIds).toEqual([String(picture!._id), String(timetable!._id)]);

  // Writing in the example after all that saves as usual (no conflict) and keeps its evidence.
  await page().focus(`#ex-${exampleId}-title`);
  await page().keyboard.press('End');
  await page().keyboard.type(' for tutors');
  await page().locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 15000 });
  expect(await page().isHidden('#conflict-panel')).toBe(true);
  const after = await exampleNow();
  expect([after.title, after.evidenceIds]).toEqual(['Alt text workshop for tutors', [String(picture!._id), String(timetable!._id)]]);
  expect(await stillSamePage()).toBe(true);
});

test('a draft example takes evidence too, and "Add example" then lands on it with its evidence', async () => {
  await openSection();
  await page().focus('#new-title');
  await page().keyboard.type('Captioning pilot');
  await page().waitForSelector('#evidence-picker-new-heading'); // shown once the draft is saved
  const draftId = (await page().getAttribute('[data-evidence-picker][data-example-id]:has(#evidence-picker-new-heading)', 'data-example-id'))!;
  expect(draftId).toMatch(/^[a-f0-9]{24}$/);
  await tabTo(page(), '#evidence-picker-new-heading ~ details summary');
  await page().keyboard.press('Enter');
  await tabTo(page(), '#evidence-picker-new-url');
  await page().keyboard.type('https://example.org/captions');
  await tabTo(page(), '#evidence-picker-new-link-title');
  await page().keyboard.type('Caption accuracy figures');
  await page().keyboard.press('Enter'); // sends the form, as Enter in a field does
  await page().waitForSelector(`${picker(draftId)} li:has-text("Caption accuracy figures")`);
  const figures = await Evidence.findOne({ title: 'Caption accuracy figures' }).lean();
  expect((await exampleNow(draftId)).evidenceIds).toEqual([String(figures!._id)]);
  expect(await checkAccessibility(page(), { bestPractice: true })).toEqual([]);

  await tabTo(page(), 'form[data-new-example] button[type="submit"]');
  await Promise.all([page().waitForURL(/done=example-added/), page().keyboard.press('Enter')]);
  await focusLandsOn(`ex-${draftId}-heading`);
  expect(await page().textContent(`#ex-${draftId}-heading`)).toBe('Example 2: Captioning pilot');
  expect(await page().textContent(picker(draftId))).toContain('Caption accuracy figures');
});

test('the upload limit and the storage quota are said plainly beside the file, and nothing is kept', async () => {
  await openSection();
  await markPage();
  const p = `evidence-picker-${exampleId}`;
  await page().click(`${picker()} summary`);
  const before = await Evidence.countDocuments();
  await page().fill(`#${p}-file-title`, 'Recording');
  await page().setInputFiles(`#${p}-file`, { name: 'recording.pdf', mimeType: 'application/pdf', buffer: pdf(2 * 1024 * 1024) });
  await page().click(`${picker()} form[data-evidence-inline="file"] button[type="submit"]`);
  await page().locator(`#${p}-file-error`, { hasText: 'This file is 2.0 MB, and the largest you can upload is 1.0 MB' }).waitFor();
  expect(await focused()).toBe(`${p}-file`);
  expect(await page().getAttribute(`#${p}-file`, 'aria-describedby')).toContain(`${p}-file-error`);

  // 0.9 MB fits once in 1.5 MB; the second is refused by the server, whose message says what to do.
  const kept = pdf(900 * 1024);
  await page().setInputFiles(`#${p}-file`, { name: 'first.pdf', mimeType: 'application/pdf', buffer: kept });
  await page().click(`${picker()} form[data-evidence-inline="file"] button[type="submit"]`);
  await page().waitForSelector(`${picker()} li:has-text("Recording")`);
  expect(await page().textContent(`#${p}-file-hint`)).toMatch(/Your storage: 9\d\d KB of 1\.5 MB used/); // the room left follows
  await page().fill(`#${p}-file-title`, 'Recording, part two');
  await page().setInputFiles(`#${p}-file`, { name: 'second.pdf', mimeType: 'application/pdf', buffer: kept });
  await page().click(`${picker()} form[data-evidence-inline="file"] button[type="submit"]`);
  await page().locator(`#${p}-file-error`, { hasText: 'would not fit in your evidence storage' }).waitFor();
  expect(await page().textContent(`#${p}-file-error`)).toContain('add a link to where the file is kept instead');
  expect(await page().getAttribute(`#${p}-file`, 'aria-invalid')).toBe('true');
  expect(await page().inputValue(`#${p}-file-title`)).toBe('Recording, part two'); // what was typed stays
  expect(await Evidence.countDocuments()).toBe(before + 1);
  expect(await stillSamePage()).toBe(true);
  expect(await checkAccessibility(page(), { bestPractice: true })).toEqual([]);
  await screenshot(page(), 'inline-evidence-quota');
});

test('without the script, linking, unlinking and removing an example reload the page at what changed, with focus there', async () => {
  await page().route('**/public/js/evidence-inline.js', (route) => route.abort());
  try {
    await openSection();
    const report = await Evidence.findOne({ title: 'Pilot report' }).lean();
    await page().selectOption(`#evidence-picker-${exampleId}-choice`, String(report!._id));
    await tabTo(page(), `${picker()} form[data-evidence-inline="attach"] button[type="submit"]`);
    await Promise.all([page().waitForURL(/done=evidence-linked/), page().keyboard.press('Enter')]);
    const item = `ev-${exampleId}-${report!._id}`;
    await focusLandsOn(item);
    expect(new URL(page().url()).hash).toBe(`#${item}`);
    expect(await page().textContent('[role="status"].notice, .notice[role="status"]')).toContain('Evidence linked to the example.');

    await tabTo(page(), `#${item} button`);
    await Promise.all([page().waitForURL(/done=evidence-unlinked/), page().keyboard.press('Enter')]);
    await focusLandsOn(`evidence-picker-${exampleId}-heading`);

    const draftless = contentOf(await sectionNow()).examples.at(-1)!;
    page().once('dialog', (d) => void d.accept());
    await page().focus(`#ex-${draftless._id}-heading`);
    await tabTo(page(), `form[action*="/examples/${draftless._id}/remove"] button`);
    await Promise.all([page().waitForURL(/done=example-removed/), page().keyboard.press('Enter')]);
    await focusLandsOn('examples-heading');
    expect(await checkAccessibility(page(), { bestPractice: true })).toEqual([]);
    await screenshot(page(), 'inline-evidence-landed');
  } finally {
    await page().unroute('**/public/js/evidence-inline.js');
  }
});
