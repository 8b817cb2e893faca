import type { ToolSession } from '../../support/launch';
import { aCandidate } from '../../support/factories';
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
export async function postFile(session: ToolSession, path: string, fields: Record<string, string>, file?: FilePart, accept = 'text/html'): Promise<RawAnswer> {
  const url = new URL(path, session.tool.baseUrl);
  url.searchParams.set('ltik', session.ltik!);
  url.searchParams.set('_csrf', session.csrfToken!);
  const form = new FormData();
  form.append('ltik', session.ltik!);
  form.append('_csrf', session.csrfToken!);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const answer = await raw(session, url, { method: 'POST', body: form, headers: { Accept: accept } });
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

/** A candidate launched from the test VLE who has started a CMALT portfolio: their session. */
export async function candidateWithPortfolio(tool: TestTool, platform: TestPlatform, course: PlatformCourse, name: string) {
  return (await aCandidate({ tool, platform }, { course, user: platform.user({ name }) })).session;
}

/** The ids of things on a page: evidence item links, or hidden fields by name. */
export const evidenceIdsIn = (html: string) => [...new Set([...html.matchAll(/\/portfolio\/evidence\/([a-f0-9]{24})\?/g)].map((m) => m[1]))];
export const sectionIdsIn = (html: string) => [...new Set([...html.matchAll(/\/portfolio\/sections\/([a-f0-9]{24})/g)].map((m) => m[1]))];
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** A real PNG of one colour (a photo stand-in): valid enough for the type check and for a browser to draw. */
export function aPng(width = 48, height = 32, rgb: [number, number, number] = [29, 79, 145]): Buffer {
  const { crc32, deflateSync } = require('node:zlib') as typeof import('node:zlib');
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3])]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
