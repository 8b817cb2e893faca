import type { LaunchOptions, PreparedLaunch, TestPlatform } from './platform';
import { CookieJar, metaContent, readForm, send, sendFollowing, type HttpAnswer, type HttpRequest } from './platform/browser-http';

export { CookieJar } from './platform/browser-http';
export type { HttpAnswer } from './platform/browser-http';

/** The running tool, as test/support/tool.ts starts it. */
export interface ToolRef {
  baseUrl: string;
}

export interface LaunchAsOptions extends LaunchOptions {
  /** One role (short name or URI); `roles` for several. */
  role?: string;
  /** Use a launch prepared earlier instead of preparing one. */
  launch?: PreparedLaunch;
  /** How the VLE sends login initiation (default POST, as most VLEs do). */
  loginMethod?: 'GET' | 'POST';
  /** Share cookies with an earlier session (same browser). */
  jar?: CookieJar;
}

export type ToolAnswer = HttpAnswer & { chain: HttpAnswer[] };

export interface RequestOptions {
  /** Follow redirects (default true). */
  follow?: boolean;
  headers?: Record<string, string>;
}

/** Where a launch stopped: 'login' (the tool did not send us to the platform), 'auth', or 'launch'. */
export type LaunchStage = 'login' | 'auth' | 'launch';

/** A browser session in the tool after a launch (or the tool's refusal, when `ok` is false). */
export class ToolSession {
  ltik?: string;
  csrfToken?: string;
  /** A cookieless session's secret, as the launching tab keeps it (sent as X-CMALT-Bind, like a bound tab's pass). */
  bind?: string;

  constructor(
    readonly tool: ToolRef,
    readonly launch: PreparedLaunch,
    readonly jar: CookieJar,
    readonly stage: LaunchStage,
    /** The last answer of the launch: the landing page, or the refusal. */
    readonly response: ToolAnswer,
  ) {
    this.ltik = new URL(response.url).searchParams.get('ltik') ?? metaContent(response.html, 'ltik') ?? undefined;
    this.csrfToken = metaContent(response.html, 'csrf-token');
  }

  /** True when the launch reached the tool and it answered a page with a session token. */
  get ok(): boolean {
    return this.stage === 'launch' && this.response.status < 400 && Boolean(this.ltik);
  }

  get status(): number { return this.response.status; }
  get url(): string { return this.response.url; }
  get html(): string { return this.response.html; }

  get(path: string, query: Record<string, string> = {}, opts: RequestOptions = {}): Promise<ToolAnswer> {
    const url = this.url_(path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    if (this.ltik && !url.searchParams.has('ltik')) url.searchParams.set('ltik', this.ltik);
    return this.request(url, { method: 'GET', headers: opts.headers }, opts);
  }

  /** An HTML form POST carrying `ltik` and `_csrf` like the tool's own forms. */
  post(path: string, form: Record<string, string> = {}, opts: RequestOptions = {}): Promise<ToolAnswer> {
    const fields = { ...(this.ltik ? { ltik: this.ltik } : {}), ...(this.csrfToken ? { _csrf: this.csrfToken } : {}), ...form };
    return this.request(this.url_(path), { method: 'POST', form: fields, headers: this.authHeaders(opts.headers) }, opts);
  }

  /** A script's JSON call: `Authorization: Bearer <ltik>` and `X-CSRF-Token`. */
  postJson(path: string, body: unknown, opts: RequestOptions = {}): Promise<ToolAnswer> {
    return this.jsonRequest('POST', path, body, opts);
  }
  put(path: string, body?: unknown, opts: RequestOptions = {}): Promise<ToolAnswer> {
    return this.jsonRequest('PUT', path, body, opts);
  }
  patch(path: string, body?: unknown, opts: RequestOptions = {}): Promise<ToolAnswer> {
    return this.jsonRequest('PATCH', path, body, opts);
  }
  delete(path: string, body?: unknown, opts: RequestOptions = {}): Promise<ToolAnswer> {
    return this.jsonRequest('DELETE', path, body, opts);
  }

  private jsonRequest(method: string, path: string, body: unknown, opts: RequestOptions): Promise<ToolAnswer> {
    const headers = this.authHeaders({ Accept: 'application/json', ...opts.headers });
    return this.request(this.url_(path), { method, json: body ?? {}, headers }, opts);
  }

  private authHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.ltik ? { Authorization: `Bearer ${this.ltik}` } : {}),
      ...(this.csrfToken ? { 'X-CSRF-Token': this.csrfToken } : {}),
      ...extra,
    };
  }

  private url_(path: string): URL {
    return new URL(path, this.tool.baseUrl);
  }

  private async request(url: URL, given: HttpRequest, opts: RequestOptions): Promise<ToolAnswer> {
    const req = this.bind ? { ...given, headers: { 'X-CMALT-Bind': this.bind, ...given.headers } } : given;
    const answer: ToolAnswer = opts.follow === false
      ? await send(this.jar, url.toString(), req).then((a) => ({ ...a, chain: [a] }))
      : await sendFollowing(this.jar, url.toString(), req).then(({ final, chain }) => ({ ...final, chain }));
    // A page of the tool carries fresh tokens; keep them like the page's scripts would.
    const csrf = metaContent(answer.html, 'csrf-token');
    if (csrf) this.csrfToken = csrf;
    const ltik = metaContent(answer.html, 'ltik');
    if (ltik) this.ltik = ltik;
    return answer;
  }
}

/** Step 2 of a launch: the platform answered the tool's redirect with its auto-posting form. */
export class AuthStep {
  constructor(
    readonly tool: ToolRef,
    readonly launch: PreparedLaunch,
    readonly jar: CookieJar,
    readonly response: HttpAnswer,
  ) {}

  /** The form's action and fields (id_token, state), when the platform sent one. */
  get form() {
    return this.response.status === 200 ? readForm(this.response.html, this.response.url) : undefined;
  }

  /**
   * POSTs the form to the tool (as the page's script would) and follows redirects to the landing page.
   * Override or drop (null) fields to forge; `withoutCookies` posts as a browser that lost the state cookie.
   */
  async submit(overrides: { id_token?: string | null; state?: string | null; withoutCookies?: boolean } = {}): Promise<ToolSession> {
    const form = this.form;
    if (!form) throw new Error(`test platform did not answer a form (status ${this.response.status}): ${this.response.html.slice(0, 300)}`);
    const fields = { ...form.fields };
    for (const k of ['id_token', 'state'] as const) {
      const v = overrides[k];
      if (v === null) delete fields[k];
      else if (v !== undefined) fields[k] = v;
    }
    const jar = overrides.withoutCookies ? new CookieJar() : this.jar;
    const { final, chain } = await sendFollowing(jar, form.action, { method: 'POST', form: fields });
    return new ToolSession(this.tool, this.launch, jar, 'launch', { ...final, chain });
  }
}

/** Step 1 of a launch: the VLE sent login initiation to the tool; the tool answered. */
export class LoginStep {
  constructor(
    readonly tool: ToolRef,
    readonly platform: TestPlatform,
    readonly launch: PreparedLaunch,
    readonly jar: CookieJar,
    readonly response: HttpAnswer,
  ) {}

  /** True when the tool redirected the browser to the platform's authorization endpoint. */
  get redirectsToPlatform(): boolean {
    return Boolean(this.response.location?.startsWith(this.platform.urls.auth));
  }

  /** The OIDC authentication request the tool built (scope, nonce, state, redirect_uri, ...). */
  get authRequest(): Record<string, string> {
    return this.response.location ? Object.fromEntries(new URL(this.response.location).searchParams) : {};
  }

  async authorize(): Promise<AuthStep> {
    if (!this.redirectsToPlatform) {
      throw new Error(`the tool did not redirect to the platform (status ${this.response.status}, location ${String(this.response.location)})`);
    }
    const answer = await send(this.jar, this.response.location as string);
    return new AuthStep(this.tool, this.launch, this.jar, answer);
  }
}

/** The launch `opts` describe: `opts.launch`, or a new one prepared on the platform. */
export function prepareFor(platform: TestPlatform, opts: LaunchAsOptions): PreparedLaunch {
  if (opts.launch) return opts.launch;
  const { role, launch: _l, loginMethod: _m, jar: _j, ...rest } = opts;
  return platform.prepareLaunch({ ...rest, roles: rest.roles ?? (role ? [role] : undefined) });
}

/** Sends the VLE's login initiation to the tool and stops there. */
export async function startLogin(tool: ToolRef, platform: TestPlatform, opts: LaunchAsOptions = {}): Promise<LoginStep> {
  const launch = prepareFor(platform, opts);
  const jar = opts.jar ?? new CookieJar();
  const params = launch.loginParams as unknown as Record<string, string>;
  let answer: HttpAnswer;
  if (opts.loginMethod === 'GET') {
    const url = new URL(launch.loginUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    answer = await send(jar, url.toString());
  } else {
    answer = await send(jar, launch.loginUrl, { method: 'POST', form: params });
  }
  return new LoginStep(tool, platform, launch, jar, answer);
}

/**
 * A complete launch over real HTTP, like a browser: login initiation -> platform /auth -> id_token
 * POST -> landing page. Never throws for the tool's refusals: check `session.ok`, `stage`, `status`.
 */
export async function launchAs(tool: ToolRef, platform: TestPlatform, opts: LaunchAsOptions = {}): Promise<ToolSession> {
  const login = await startLogin(tool, platform, opts);
  if (!login.redirectsToPlatform) return new ToolSession(tool, login.launch, login.jar, 'login', { ...login.response, chain: [login.response] });
  const auth = await login.authorize();
  if (!auth.form) return new ToolSession(tool, login.launch, login.jar, 'auth', { ...auth.response, chain: [auth.response] });
  return auth.submit();
}

/** Re-POSTs an id_token and state the platform already sent (a replay), in a browser of its own. */
export async function replayIdToken(tool: ToolRef, launch: PreparedLaunch, opts: { jar?: CookieJar } = {}): Promise<ToolSession> {
  if (!launch.formFields || !launch.redirectUri) throw new Error('this launch has not been through /auth yet');
  const jar = opts.jar ?? new CookieJar();
  const { final, chain } = await sendFollowing(jar, launch.redirectUri, { method: 'POST', form: launch.formFields });
  return new ToolSession(tool, launch, jar, 'launch', { ...final, chain });
}
