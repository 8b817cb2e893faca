import http from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Deployment } from '../../src/lti';
import { PRACTICE_VLE_NAME } from '../../src/practice';
import { decodeJwt } from '../../src/practice/platform/keys';
import { signIn } from '../admin/admin-client';
import { aWorker, settle } from '../gradebook/support';
import { ToolSession } from '../support/launch';
import { CookieJar, readForm, send, sendFollowing, type HttpAnswer } from '../support/platform/browser-http';
import { freshDatabaseUri } from '../support/db';
import { startTestTool, type TestTool } from '../support/tool';

/**
 * The built-in practice VLE over HTTP, as a browser would drive it: its start page, a real LTI 1.3 launch for each
 * sample person, its gradebook and participants, a reset, every bad input refused, and nothing of it in production.
 */
let tool: TestTool;
// a DATA_DIR and database of this file's own, so the last test can start production on what development left
const reuse = { dataDir: mkdtempSync(path.join(tmpdir(), 'cmalt-practice-')), dbUri: freshDatabaseUri('practice') };
beforeAll(async () => {
  tool = await startTestTool({ env: { PRACTICE_VLE: 'on' }, reuse });
});
afterAll(async () => {
  await tool?.close();
  rmSync(reuse.dataDir, { recursive: true, force: true });
});

const at = (p: string) => `${tool.baseUrl}${p}`;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const iframeSrc = (html: string) => /<iframe[^>]*\ssrc="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');

/** Picks a person on the start page and follows the launch through the course page's frame to the tool's page. */
async function openAs(personId: string, jar = new CookieJar()): Promise<{ session: ToolSession; coursePage: HttpAnswer; auth: HttpAnswer }> {
  const start = await send(jar, at('/practice/'));
  const opened = await sendFollowing(jar, at('/practice/open'), { method: 'POST', form: { _csrf: csrfOf(start.html), person: personId } });
  const coursePage = opened.final;
  expect(coursePage.status).toBe(200);
  const src = iframeSrc(coursePage.html);
  expect(src).toBeDefined();
  const login = await send(jar, new URL(src!, coursePage.url).toString());
  expect(login.location).toContain('/practice/auth');
  const auth = await send(jar, login.location!);
  const form = readForm(auth.html, auth.url)!;
  const { final, chain } = await sendFollowing(jar, form.action, { method: 'POST', form: form.fields });
  const launch = tool.practice!.launch(new URL(coursePage.url).searchParams.get('hint')!)!;
  return { session: new ToolSession(tool, launch, jar, 'launch', { ...final, chain }), coursePage, auth };
}

test('the root page offers the practice VLE, which says on every page that it is practice and lists the sample people', async () => {
  const root = await send(new CookieJar(), at('/'));
  expect(root.status).toBe(303);
  expect(root.location).toBe(at('/practice/'));
  for (const p of ['/practice/', '/practice/participants', '/practice/gradebook']) {
    const page = await send(new CookieJar(), at(p));
    expect(page.status).toBe(200);
    expect(page.html).toContain('This is a practice VLE built into CMALT Portfolio.');
    expect(page.html).toContain('nothing entered here is for real use');
  }
  const start = await send(new CookieJar(), at('/practice/'));
  for (const name of ['Open as Amara Okafor', 'Open as Rhys Llewellyn', 'Open as Mei Lin Chen', 'Open as Helen Marsh', 'Open as Sam Patel']) expect(start.html).toContain(name);
});

test('the practice VLE asked for under another host name (127.0.0.1 for localhost) sends the newcomer to PUBLIC_URL first', async () => {
  const base = new URL(tool.baseUrl);
  const answer = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
    http
      .get({ host: base.hostname, port: base.port, path: '/practice/?x=1', headers: { host: `other-name.invalid:${base.port}` }, agent: false }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      })
      .on('error', reject);
  });
  expect(answer.status).toBe(303);
  expect(answer.location).toBe(at('/practice/?x=1'));
});

test('opening as a candidate is a real LTI 1.3 launch signed by the practice VLE, landing in the portfolio', async () => {
  const { session, coursePage, auth } = await openAs('practice-amara');
  expect(coursePage.html).toContain('You are <strong>Amara Okafor</strong> (Candidate)');
  expect(session.ok).toBe(true);
  expect(new URL(session.url).pathname).toMatch(/^\/portfolio/);
  expect(session.html).toContain('Amara Okafor');
  const idToken = readForm(auth.html, auth.url)!.fields.id_token;
  const { header, payload } = decodeJwt(idToken);
  expect(header).toMatchObject({ alg: 'RS256', kid: tool.practice!.state.key.kid });
  expect(payload).toMatchObject({ iss: `${tool.baseUrl}/practice`, aud: tool.practice!.state.clientId, sub: 'practice-amara' });
  // the key is kept in DATA_DIR, so a restart keeps the tool's registration valid
  expect(existsSync(path.join(tool.dataDir, 'practice-vle.json'))).toBe(true);
});

test('the mentor and the coordinator land on their own pages; the mentor sees the sample candidates', async () => {
  const mentor = await openAs('practice-helen');
  expect(mentor.session.ok).toBe(true);
  expect(mentor.session.html).toContain('Helen Marsh');
  const coordinator = await openAs('practice-sam');
  expect(coordinator.session.ok).toBe(true);
  expect(new URL(coordinator.session.url).pathname).not.toBe(new URL(mentor.session.url).pathname);
  // role_scope_mentor names the candidates: the mentor's launch claims carry them
  const hint = new URL(mentor.coursePage.url).searchParams.get('hint')!;
  expect(tool.practice!.launch(hint)!.options.roleScopeMentor).toEqual(['practice-amara', 'practice-rhys', 'practice-mei']);
});

test('the candidate’s progress arrives in the practice gradebook through AGS', async () => {
  const { session } = await openAs('practice-rhys');
  expect(session.ok).toBe(true);
  expect((await session.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Open badges' })).status).toBe(200);
  const before = await send(new CookieJar(), at('/practice/gradebook'));
  expect(before.html).toMatch(/Rhys Llewellyn<\/td>\s*<td><span class="muted">No score yet/);
  const worker = aWorker(tool);
  await worker.reconcile();
  await settle(worker);
  const after = await send(new CookieJar(), at('/practice/gradebook'));
  expect(after.html).toMatch(/Rhys Llewellyn<\/td>\s*<td>0 \/ 100<\/td>/);
  expect(tool.practice!.ags.scoresFor('practice-rhys').length).toBeGreaterThan(0);
});

test('participants come from the roster, paginated; a page that does not exist is a clear error', async () => {
  const page = await send(new CookieJar(), at('/practice/participants'));
  expect(page.html).toContain('6 people');
  expect(page.html).toContain('Helen Marsh</td><td>Mentor');
  const bad = await send(new CookieJar(), at('/practice/participants?page=abc'));
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('Please choose a page number from the list of pages.');
  const beyond = await send(new CookieJar(), at('/practice/participants?page=2'));
  expect(beyond.status).toBe(404);
  expect(beyond.html).toContain('There is no page 2: this list has 1 page.');
});

test('bad input is refused with a clear message and launches no one', async () => {
  const jar = new CookieJar();
  const start = await send(jar, at('/practice/'));
  const launchesBefore = tool.practice!.ctx.launches.size;
  const noToken = await send(jar, at('/practice/open'), { method: 'POST', form: { person: 'practice-amara' } });
  expect(noToken.status).toBe(403);
  expect(noToken.html).toContain('did not come from the practice VLE');
  const stranger = await send(jar, at('/practice/open'), { method: 'POST', form: { _csrf: csrfOf(start.html), person: 'someone-else' } });
  expect(stranger.status).toBe(400);
  expect(stranger.html).toContain('Please choose one of the sample people');
  const guessed = await send(jar, at(`/practice/course/${tool.practice!.course.id}/launch?hint=hint-guessed`));
  expect(guessed.status).toBe(404);
  expect(tool.practice!.ctx.launches.size).toBe(launchesBefore);
  const resetWithout = await send(jar, at('/practice/reset'), { method: 'POST', form: {} });
  expect(resetWithout.status).toBe(403);
  expect(tool.practice!.state.generation).toBe(1);
});

test('the practice VLE signs only for itself: no dynamic registration, one client, its own issuer', async () => {
  const register = await send(new CookieJar(), at('/practice/register'), { method: 'POST', json: { client_name: 'Another tool' } });
  expect(register.status).toBe(404);
  expect([...tool.practice!.ctx.clients.keys()]).toEqual([tool.practice!.state.clientId]);
  const config = await send(new CookieJar(), at('/practice/.well-known/openid-configuration'));
  expect(config.json<{ issuer: string }>().issuer).toBe(`${tool.baseUrl}/practice`);
});

test('the practice VLE is not in /admin’s list of VLEs, nor reachable there by id', async () => {
  const { client } = await signIn(tool);
  const list = await client.get('/admin');
  expect(list.status).toBe(200);
  expect(list.html).not.toContain(PRACTICE_VLE_NAME);
  expect(list.html).not.toContain(`${tool.baseUrl}/practice`);
  const platform = await tool.lti.getPlatform(`${tool.baseUrl}/practice`, tool.practice!.state.clientId);
  expect(platform).toBeTruthy();
  const byId = await client.get(`/admin/platforms/${await (platform as { platformId(): Promise<string> }).platformId()}`);
  expect(byId.status).toBe(404);
});

test('reset starts a fresh practice course: the old launch is gone, the new course launches', async () => {
  const old = await openAs('practice-mei');
  const oldHint = new URL(old.coursePage.url).searchParams.get('hint')!;
  const jar = new CookieJar();
  const start = await send(jar, at('/practice/'));
  const reset = await send(jar, at('/practice/reset'), { method: 'POST', form: { _csrf: csrfOf(start.html) } });
  expect(reset.status).toBe(303);
  expect(tool.practice!.state.generation).toBe(2);
  expect(tool.practice!.course.id).toBe('practice-cmalt-2');
  const stale = await send(jar, old.coursePage.url);
  expect(stale.status).toBe(404);
  expect(tool.practice!.launch(oldHint)).toBeUndefined();
  const fresh = await openAs('practice-mei');
  expect(fresh.session.ok).toBe(true);
});

test('production on the same DATA_DIR and database: no practice routes, no practice platform, no practice key', async () => {
  const issuer = `${tool.baseUrl}/practice`;
  expect(await Deployment.countDocuments({ platformUrl: issuer })).toBe(1);
  await tool.close();
  tool = await startTestTool({ env: { NODE_ENV: 'production' }, reuse });
  expect(tool.config.practiceVle).toBe(false);
  expect(tool.practice).toBeUndefined();
  for (const p of ['/practice/', '/practice/gradebook', '/practice/participants', '/practice/jwks', '/practice/.well-known/openid-configuration']) {
    expect((await send(new CookieJar(), at(p))).status).toBe(404);
  }
  expect((await send(new CookieJar(), at('/practice/open'), { method: 'POST', form: { person: 'practice-amara' } })).status).toBe(404);
  const root = await send(new CookieJar(), at('/'));
  expect(root.location).toBeUndefined();
  const names = await Promise.all((await tool.lti.getAllPlatforms()).map((p) => p.platformName()));
  expect(names).not.toContain(PRACTICE_VLE_NAME);
  expect(await Deployment.countDocuments({ platformUrl: issuer })).toBe(0);
  expect(existsSync(path.join(reuse.dataDir, 'practice-vle.json'))).toBe(false);
});

