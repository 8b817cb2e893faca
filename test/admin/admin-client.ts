import { CookieJar, readForm, send, sendFollowing, type HttpAnswer } from '../support/platform/browser-http';
import type { TestTool } from '../support/tool';

/** A browser that refuses every cookie, as a VLE frame with third-party cookies blocked. */
export class BlockedCookies extends CookieJar {
  override store(): void {}
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789'; // what startTestTool sets

/** A browser on the installer pages: with cookies, or (cookies: false) like a frame whose cookies are blocked. */
export class AdminClient {
  csrf = '';
  last?: HttpAnswer;

  constructor(readonly tool: TestTool, readonly jar: CookieJar | null) {}

  private jarFor(): CookieJar {
    return this.jar ?? new BlockedCookies();
  }

  private remember(answer: HttpAnswer): HttpAnswer {
    this.last = answer;
    const csrf = /name="_csrf" value="([^"]*)"/.exec(answer.html);
    if (csrf) this.csrf = csrf[1];
    return answer;
  }

  url(path: string): string {
    return new URL(path, this.tool.baseUrl).toString();
  }

  async get(path: string): Promise<HttpAnswer> {
    return this.remember((await sendFollowing(this.jarFor(), this.url(path))).final);
  }

  /** Posts like the page's form: _csrf and, without cookies, the session field. */
  async post(path: string, form: Record<string, string> = {}, opts: { follow?: boolean } = {}): Promise<HttpAnswer> {
    const fields = { _csrf: this.csrf, ...form };
    const target = new URL(path, this.tool.baseUrl).toString();
    if (opts.follow === false) return this.remember(await send(this.jarFor(), target, { method: 'POST', form: fields }));
    return this.remember((await sendFollowing(this.jarFor(), target, { method: 'POST', form: fields })).final);
  }
}

/** Signs in with the admin token through the login form, as a person would. */
export async function signIn(tool: TestTool, opts: { cookies?: boolean; token?: string } = {}): Promise<{ client: AdminClient; answer: HttpAnswer; chain: HttpAnswer[] }> {
  const jar = opts.cookies === false ? null : new CookieJar();
  const client = new AdminClient(tool, jar);
  const page = await send(jar ?? new BlockedCookies(), `${tool.baseUrl}/admin/login`);
  const form = readForm(page.html, page.url);
  if (!form) throw new Error(`no login form (status ${page.status})`);
  const { final, chain } = await sendFollowing(jar ?? new BlockedCookies(), form.action, { method: 'POST', form: { ...form.fields, token: opts.token ?? ADMIN_TOKEN } });
  client.last = final;
  const csrf = /name="_csrf" value="([^"]*)"/.exec(final.html);
  if (csrf) client.csrf = csrf[1];
  return { client, answer: final, chain };
}

/** The id of a platform on the list page, by issuer and client id (from its action URLs). */
export function platformIdOn(html: string, clientId: string): string {
  const card = html.split('<section class="card"').find((s) => s.includes(`<code>${clientId}</code>`));
  const m = card && /\/admin\/platforms\/([^/"]+)\/(?:activate|deactivate)/.exec(card);
  if (!m) throw new Error(`platform with client ${clientId} is not on the page`);
  return decodeURIComponent(m[1]);
}
