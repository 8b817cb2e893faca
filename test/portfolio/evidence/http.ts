import { launchAs, type ToolSession } from '../../support/launch';
import type { PlatformCourse, TestPlatform } from '../../support/platform';
import type { TestTool } from '../../support/tool';

/** What a browser does with a file form and a download link, for sessions from launchAs. */

export interface FilePart {
  field: string;
  name: string;
  bytes: Buffer;
  type?: string;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  html: string;
  location?: string;
}

async function raw(session: ToolSession, url: URL, init: RequestInit): Promise<RawAnswer> {
  const cookie = session.jar.header(url);
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { Cookie: cookie } : {}) } });
  session.jar.store(url, res.headers.getSetCookie());
  const body = Buffer.from(await res.arrayBuffer());
  const location = res.headers.get('location');
  return { status: res.status, headers: res.headers, body, html: body.toString('utf8'), location: location ? new URL(location, url).toString() : undefined };
}

/**
 * A no-JavaScript multipart form post, as the page's form sends it: the action URL carries ltik and
 * _csrf (the page puts them there), the fields carry them again. Follows a 303 like a browser.
 */
export async function postFile(session: ToolSession, path: string, fields: Record<string, string>, file?: FilePart): Promise<RawAnswer> {
  const url = new URL(path, session.tool.baseUrl);
  url.searchParams.set('ltik', session.ltik!);
  url.searchParams.set('_csrf', session.csrfToken!);
  const form = new FormData();
  form.append('ltik', session.ltik!);
  form.append('_csrf', session.csrfToken!);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const answer = await raw(session, url, { method: 'POST', body: form, headers: { Accept: 'text/html' } });
  if (answer.status === 303 && answer.location) {
    const next = await session.get(new URL(answer.location).pathname + new URL(answer.location).search);
    return { status: next.status, headers: next.headers, body: Buffer.from(next.html), html: next.html, location: answer.location };
  }
  return answer;
}

/** A GET whose body is kept as bytes (a download). */
export function download(session: ToolSession, path: string): Promise<RawAnswer> {
  const url = new URL(path, session.tool.baseUrl);
  url.searchParams.set('ltik', session.ltik!);
  return raw(session, url, { method: 'GET', headers: { Accept: 'text/html,*/*' } });
}

/** A candidate launched from the test VLE who has started a CMALT portfolio. */
export async function candidateWithPortfolio(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string) {
  const user = platform.user({ name });
  const session = await launchAs(tool, platform, { role: 'Learner', user, course });
  if (!session.ok) throw new Error(`launch failed: ${session.status} ${session.html.slice(0, 300)}`);
  const started = await session.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' });
  if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
  return session;
}

/** The ids of things on a page: evidence item links, or hidden fields by name. */
export const evidenceIdsIn = (html: string) => [...new Set([...html.matchAll(/\/portfolio\/evidence\/([a-f0-9]{24})\?/g)].map((m) => m[1]))];
export const sectionIdsIn = (html: string) => [...new Set([...html.matchAll(/\/portfolio\/sections\/([a-f0-9]{24})/g)].map((m) => m[1]))];
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
