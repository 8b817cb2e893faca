import { randomBytes } from 'node:crypto';
import type { TestPlatform } from '../support/platform';
import { readForm, RefusingCookieJar, send, sendFollowing, unescapeHtml, type CookieJar, type HttpAnswer } from '../support/platform/browser-http';
import { prepareFor, ToolSession, type LaunchAsOptions, type ToolRef } from '../support/launch';

/** data-* attributes of the tool's #lti-storage element (the platform-storage pages). */
export function storageData(html: string): Record<string, string> {
  const tag = /<div id="lti-storage"([^>]*)>/.exec(html)?.[1] ?? '';
  const data: Record<string, string> = {};
  for (const m of tag.matchAll(/data-([a-z-]+)="([^"]*)"/g)) data[m[1]] = unescapeHtml(m[2]);
  return data;
}

export interface StorageTamper {
  /** What the VLE's storage "returns" for the state / nonce keys (default: what the tool stored). */
  state?: string;
  nonce?: string;
  /** Post the finishing form with this Origin (null: none). Default: the tool's own origin. */
  origin?: string | null;
  /** Finish a different pending launch id. */
  pendingId?: string;
  /** Extra headers on the finishing post (e.g. Sec-Fetch-Site as a browser sends it). */
  headers?: Record<string, string>;
  /** The tab's secret the page posts (default: a fresh one; null: none, as a browser without sessionStorage). */
  bind?: string | null;
}

export interface StorageLaunchResult {
  session: ToolSession;
  loginPage: HttpAnswer;
  launchPage: HttpAnswer;
  /** The VLE page's storage for the tool's origin: what lti.put_data stored. */
  storage: Map<string, string>;
  /** The finishing form the page would post (to re-post in replay tests). */
  finish?: { action: string; fields: Record<string, string> };
  /** The secret the launching tab keeps in sessionStorage. */
  bind?: string;
}

/**
 * A launch through LTI platform storage over plain HTTP, in a browser that keeps no cookie at all: the VLE's
 * page is played here (put_data / get_data on a Map), the tool's pages are the real ones.
 */
export async function launchThroughStorage(
  tool: ToolRef,
  platform: TestPlatform,
  opts: LaunchAsOptions & { tamper?: StorageTamper; jar?: CookieJar } = {},
): Promise<StorageLaunchResult> {
  const launch = prepareFor(platform, { ...opts, storageTarget: opts.storageTarget ?? '_parent' });
  const jar = opts.jar ?? new RefusingCookieJar();
  const loginPage = await send(jar, launch.loginUrl, { method: 'POST', form: launch.loginParams as unknown as Record<string, string> });
  const put = storageData(loginPage.html);
  const storage = new Map<string, string>();
  const done = (answer: HttpAnswer, launchPage: HttpAnswer = answer): StorageLaunchResult => ({
    session: new ToolSession(tool, launch, jar, 'launch', { ...answer, chain: [answer] }),
    loginPage,
    launchPage,
    storage,
  });
  if (put.mode !== 'put') return done(loginPage);
  storage.set(put['state-key'], put.state);
  storage.set(put['nonce-key'], put.nonce);

  const auth = await send(jar, put.next);
  const form = readForm(auth.html, auth.url);
  if (!form) return done(auth);
  const launchPage = await send(jar, form.action, { method: 'POST', form: form.fields });
  const get = storageData(launchPage.html);
  const finishForm = readForm(launchPage.html, launchPage.url);
  if (get.mode !== 'get' || !finishForm) return done(launchPage);

  const tamper = opts.tamper ?? {};
  const bind = tamper.bind === undefined ? randomBytes(32).toString('base64url') : tamper.bind;
  const fields = {
    ...finishForm.fields,
    lti_storage_state: tamper.state ?? storage.get(get['state-key']) ?? '',
    lti_storage_nonce: tamper.nonce ?? storage.get(get['nonce-key']) ?? '',
    ...(tamper.pendingId ? { lti_storage_launch: tamper.pendingId } : {}),
    lti_storage_bind: bind ?? '',
  };
  const origin = tamper.origin === undefined ? new URL(tool.baseUrl).origin : tamper.origin;
  const headers: Record<string, string> = { ...(origin ? { Origin: origin } : {}), ...tamper.headers };
  const { final, chain } = await sendFollowing(jar, finishForm.action, { method: 'POST', form: fields, headers });
  const session = new ToolSession(tool, launch, jar, 'launch', { ...final, chain });
  if (bind) session.bind = bind;
  return { session, loginPage, launchPage, storage, finish: { action: finishForm.action, fields }, bind: bind ?? undefined };
}
