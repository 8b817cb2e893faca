/**
 * A browser stand-in over fetch: a cookie jar that, like Chromium, treats http://127.0.0.1 and
 * http://localhost as secure contexts (so `Secure; SameSite=None; Partitioned` cookies are kept and
 * sent), and requests that do not follow redirects on their own.
 */

interface StoredCookie {
  name: string;
  value: string;
  host: string; // host-only cookies; Domain= widens to subdomains
  domain?: string;
  path: string;
  expires?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  partitioned: boolean;
}

const trustworthy = (url: URL) => url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores the Set-Cookie headers of a response from `url`. */
  store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attrs] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        host: url.hostname,
        path: '/',
        secure: false,
        httpOnly: false,
        partitioned: false,
      };
      let pathSet = false;
      for (const attr of attrs) {
        const [k, ...rest] = attr.split('=');
        const v = rest.join('=');
        switch (k.toLowerCase()) {
          case 'domain': cookie.domain = v.replace(/^\./, '').toLowerCase(); break;
          case 'path': cookie.path = v || '/'; pathSet = true; break;
          case 'expires': cookie.expires = cookie.expires ?? Date.parse(v); break;
          case 'max-age': cookie.expires = Date.now() + Number(v) * 1000; break;
          case 'secure': cookie.secure = true; break;
          case 'httponly': cookie.httpOnly = true; break;
          case 'samesite': cookie.sameSite = v; break;
          case 'partitioned': cookie.partitioned = true; break;
          default: break;
        }
      }
      if (!pathSet) cookie.path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      if (cookie.secure && !trustworthy(url)) continue; // a browser drops Secure cookies from insecure origins
      if (cookie.sameSite?.toLowerCase() === 'none' && !cookie.secure) continue; // Chromium rejects these
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
      if (cookie.expires === undefined || cookie.expires > Date.now()) this.cookies.push(cookie);
    }
  }

  /** The Cookie header a browser would send to `url`. */
  header(url: URL): string | undefined {
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > now);
    const host = url.hostname;
    const matching = this.cookies.filter(
      (c) => (c.domain ? host === c.domain || host.endsWith(`.${c.domain}`) : host === c.host)
        && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
        && (!c.secure || trustworthy(url)),
    );
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** Cookie names and values for a host (for assertions). */
  list(host?: string): { name: string; value: string; host: string; secure: boolean; sameSite?: string; partitioned: boolean }[] {
    return this.cookies.filter((c) => !host || c.host === host).map(({ name, value, host: h, secure, sameSite, partitioned }) => ({ name, value, host: h, secure, sameSite, partitioned }));
  }

  clear(host?: string): void {
    this.cookies = host ? this.cookies.filter((c) => c.host !== host) : [];
  }
}

export interface HttpAnswer {
  status: number;
  url: string;
  headers: Headers;
  location?: string;
  html: string;
  json<T = unknown>(): T;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  body?: string;
}

/** One request, no redirect following, cookies from and into `jar`. */
export async function send(jar: CookieJar, url: string, req: HttpRequest = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const headers: Record<string, string> = { Accept: 'text/html,application/json;q=0.9,*/*;q=0.8', ...req.headers };
  const cookie = jar.header(target);
  if (cookie) headers.Cookie = cookie;
  let body: string | undefined = req.body;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
  }
  const res = await fetch(target, { method: req.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  jar.store(target, res.headers.getSetCookie());
  const html = await res.text();
  const location = res.headers.get('location');
  return {
    status: res.status,
    url: target.toString(),
    headers: res.headers,
    location: location ? new URL(location, target).toString() : undefined,
    html,
    json: <T>() => JSON.parse(html) as T,
  };
}

/** Sends, then follows redirects as a browser does (303/302/301 turn into GET). */
export async function sendFollowing(jar: CookieJar, url: string, req: HttpRequest = {}, maxRedirects = 10): Promise<{ final: HttpAnswer; chain: HttpAnswer[] }> {
  const chain: HttpAnswer[] = [];
  let answer = await send(jar, url, req);
  chain.push(answer);
  for (let i = 0; i < maxRedirects && answer.location && answer.status >= 300 && answer.status < 400; i += 1) {
    const keep = answer.status === 307 || answer.status === 308;
    answer = await send(jar, answer.location, keep ? req : { headers: withoutContentType(req.headers) });
    chain.push(answer);
  }
  return { final: answer, chain };
}

function withoutContentType(headers?: Record<string, string>): Record<string, string> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
}

/** Reads the first form of a page: its action (absolute) and its fields. */
export function readForm(html: string, pageUrl: string): { action: string; method: string; fields: Record<string, string> } | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  const a = attr(form[1], 'action');
  const m = attr(form[1], 'method');
  const fields: Record<string, string> = {};
  for (const input of form[2].match(/<input\b[^>]*>/gi) ?? []) {
    const n = attr(input, 'name');
    if (!n) continue;
    const v = attr(input, 'value');
    fields[unescapeHtml(n[2] ?? n[3])] = unescapeHtml(v ? (v[2] ?? v[3]) : '');
  }
  return { action: new URL(unescapeHtml(a ? (a[2] ?? a[3]) : pageUrl), pageUrl).toString(), method: (m ? (m[2] ?? m[3]) : 'get').toLowerCase(), fields };
}

export function metaContent(html: string, name: string): string | undefined {
  const tag = new RegExp(`<meta\\b[^>]*\\bname\\s*=\\s*["']${name}["'][^>]*>`, 'i').exec(html);
  if (!tag) return undefined;
  const c = /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag[0]);
  return c ? unescapeHtml(c[2] ?? c[3]) : undefined;
}

export const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** A browser that refuses every cookie (Safari-like inside a cross-site frame, or cookies switched off). */
export class RefusingCookieJar extends CookieJar {
  override store(): void {
    // keeps nothing, so nothing is ever sent back
  }
}
