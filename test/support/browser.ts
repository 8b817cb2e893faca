import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import type { PreparedLaunch, TestPlatform, TestPlatformOptions } from './platform';
import type { StartTestToolOptions } from './tool';
import { required, toolSuiteParts, type ToolSuite } from './suite';
import { prepareFor, type LaunchAsOptions, type ToolRef } from './launch';

/** Debian's Chromium; never `npx playwright install`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium's own switches, shared by every way of opening it here. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

export interface BrowserSuiteOptions {
  /** For startTestPlatform (e.g. `{ profile: 'moodle' }`). */
  platform?: TestPlatformOptions;
  /** For startTestTool, which always gets the suite's platform. */
  tool?: Omit<StartTestToolOptions, 'platform'>;
  /** For browser.newContext (e.g. `{ locale: 'en-GB' }`). */
  context?: BrowserContextOptions;
  /** 'each' (default): a fresh context and page for every test; 'shared': one for the whole file, opened in beforeAll. */
  page?: 'each' | 'shared';
}

export interface BrowserSuite extends Omit<ToolSuite, 'otherVle'> {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * The set-up every Chromium test file repeated: registers the jest hooks that start a platform, the tool
 * registered with it and Chromium, open a context and page, and close them all. Read its getters in hooks and tests.
 */
export function browserSuite(opts: BrowserSuiteOptions = {}): BrowserSuite {
  const toolParts = toolSuiteParts('browserSuite', { tool: opts.tool, platform: opts.platform });
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const openPage = async () => {
    context = await browser!.newContext(opts.context);
    page = await context.newPage();
  };
  const shared = opts.page === 'shared';
  beforeAll(async () => {
    await toolParts.start(); // the platform, then the tool registered with it
    browser = await openBrowser();
    if (shared) await openPage();
  });
  if (!shared) {
    beforeEach(openPage);
    afterEach(async () => {
      await context?.close();
    });
  }
  afterAll(async () => {
    if (shared) await context?.close();
    await browser?.close();
    await toolParts.close(); // the tool, then the platform
  });
  const open = <T>(name: string, value: T | undefined): T => required('browserSuite', name, value);
  return {
    get platform() { return toolParts.suite.platform; },
    get tool() { return toolParts.suite.tool; },
    get browser() { return open('browser', browser); },
    get context() { return open('context', context); },
    get page() { return open('page', page); },
  };
}

/**
 * Chromium whose profile refuses every cookie (partitioned too) from `toolHost` while the top-level page is on
 * `vleHost`: Chrome's own per-site cookie setting ("Block" for the tool, scoped to the VLE as top-level site),
 * written into the profile before start. First-party cookies (the tool in its own window) still work, as in
 * Safari or Chrome with the tool's cookies blocked inside the VLE.
 */
export async function openBrowserRefusingCookies(opts: { toolHost: string; vleHost: string }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'cmalt-chromium-'));
  mkdirSync(path.join(profile, 'Default'), { recursive: true });
  const pattern = `http://${opts.toolHost}:*,http://${opts.vleHost}:*`;
  const prefs = { profile: { content_settings: { exceptions: { cookies: { [pattern]: { setting: 2 } } } } } };
  writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify(prefs));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** One axe violation, shaped so that `expect(violations).toEqual([])` prints what is wrong and where. */
export interface AccessibilityViolation {
  rule: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: string[]; // "selector: failure summary"
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

let axeSource: string | undefined;

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA, and its best-practice rules with `bestPractice`) in a page or frame; `disableRules` for a documented exception. */
export async function checkAccessibility(target: Page | Frame, opts: { disableRules?: string[]; include?: string; bestPractice?: boolean } = {}): Promise<AccessibilityViolation[]> {
  const hasAxe = () => target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!(await hasAxe())) {
    const axePath = require.resolve('axe-core/axe.min.js');
    // A strict CSP may refuse the injected <script>; evaluating the source is not subject to CSP.
    await target.addScriptTag({ path: axePath }).catch(() => undefined);
    if (!(await hasAxe())) {
      axeSource ??= readFileSync(axePath, 'utf8');
      await target.evaluate(axeSource);
    }
  }
  const result = (await target.evaluate(
    async ({ tags, disableRules, include }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<unknown> } }).axe;
      const rules = Object.fromEntries(disableRules.map((r: string) => [r, { enabled: false }]));
      return axe.run(include ? { include: [include] } : document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    },
    { tags: opts.bestPractice ? [...WCAG_TAGS, 'best-practice'] : WCAG_TAGS, disableRules: opts.disableRules ?? [], include: opts.include },
  )) as AxeResult;
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => `${n.target.map(String).join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`),
  }));
}

/** Saves a full-page PNG under test-output/screenshots/ and returns its path. */
export async function screenshot(target: Page | Frame, name: string): Promise<string> {
  const dir = path.resolve(__dirname, '../../test-output/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  const page = 'page' in target ? target.page() : target;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface BrowserLaunchOptions extends LaunchAsOptions {
  /** Host name under which the platform's course page is opened (default: the issuer's, 127.0.0.1). */
  pageHost?: string;
  /** Host name the iframe uses to reach the tool's login URL (default: as registered). */
  frameHost?: string;
  timeoutMs?: number;
}

function toolOrigin(launch: PreparedLaunch, frameHost?: string): string {
  const url = new URL(launch.loginUrl);
  if (frameHost) url.hostname = frameHost;
  return url.origin;
}

async function settleOnTool(frameOrPage: Frame | Page, launch: PreparedLaunch, frameHost: string | undefined, timeoutMs: number): Promise<void> {
  const origin = toolOrigin(launch, frameHost);
  const loginPath = new URL(launch.loginUrl).pathname;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = new URL(frameOrPage.url() || 'about:blank');
    if (url.origin === origin && url.pathname !== loginPath) break;
    if (url.protocol === 'chrome-error:') {
      throw new Error(`the browser refused to show the frame (tool not reachable at ${origin}, or its CSP frame-ancestors does not list the page's origin)`);
    }
    if (Date.now() > deadline) {
      const shown = await frameOrPage.content().then((html) => html.replace(/\s+/g, ' ').slice(0, 400), () => '(unreadable)');
      throw new Error(`the launch did not reach the tool within ${timeoutMs} ms (frame is at ${url.toString()}; it shows: ${shown})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await frameOrPage.waitForLoadState('load');
}

/**
 * Runs a launch in real Chromium as a VLE does: the platform's course page frames the tool's login
 * initiation; returns the iframe's Frame once it has landed in the tool (or the tool's refusal page).
 */
export async function launchInBrowser(page: Page, _tool: ToolRef, platform: TestPlatform, opts: BrowserLaunchOptions = {}): Promise<Frame> {
  const launch = prepareFor(platform, opts);
  const timeoutMs = opts.timeoutMs ?? 15000;
  await page.goto(platform.coursePageUrl(launch, { pageHost: opts.pageHost, frameHost: opts.frameHost }));
  const handle = await page.waitForSelector('#tool-frame', { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the course page has no tool frame');
  await settleOnTool(frame, launch, opts.frameHost, timeoutMs);
  return frame;
}

/** The same launch in a top-level window (the tool's "open in a new window" path). */
export async function launchTopLevelInBrowser(page: Page, _tool: ToolRef, platform: TestPlatform, opts: BrowserLaunchOptions = {}): Promise<Page> {
  const launch = prepareFor(platform, opts);
  const url = new URL(launch.loginUrl);
  if (opts.frameHost) url.hostname = opts.frameHost;
  for (const [k, v] of Object.entries(launch.loginParams)) url.searchParams.set(k, v);
  await page.goto(url.toString());
  await settleOnTool(page, launch, opts.frameHost, opts.timeoutMs ?? 15000);
  return page;
}

/**
 * A page as every new page must be: axe-clean with best practice (named, so a failure says which page), nothing
 * wider than a 320 px screen (axe there too with `axeAt320`), a screenshot at each width; back to 1280 px after.
 */
export async function expectGoodPage(page: Page, name: string, opts: { axeAt320?: boolean } = {}): Promise<void> {
  expect({ name, violations: await checkAccessibility(page, { bestPractice: true }) }).toEqual({ name, violations: [] });
  await screenshot(page, name);
  await page.setViewportSize({ width: 320, height: 900 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
  if (opts.axeAt320) expect({ name: `${name} at 320 px`, violations: await checkAccessibility(page, { bestPractice: true }) }).toEqual({ name: `${name} at 320 px`, violations: [] });
  await screenshot(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
}
