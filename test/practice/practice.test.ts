import http from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { Deployment } from '../../src/lti';
import { Comment, MentorAssignment, MentorReview } from '../../src/mentoring/models';
import { Course } from '../../src/people/course.model';
import { Membership } from '../../src/people/membership.model';
import { User } from '../../src/people/user.model';
import { Portfolio, Section } from '../../src/portfolio/models';
import { Evidence } from '../../src/portfolio/evidence/evidence.model';
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
/** The tool's records of the current practice course and a sample person's portfolio in it. */
async function practiceCourse() {
  return (await Course.findOne({ issuer: `${tool.baseUrl}/practice`, contextId: tool.practice!.course.id }).lean())!;
}
async function portfolioOf(sub: string) {
  const user = (await User.findOne({ issuer: `${tool.baseUrl}/practice`, sub }).lean())!;
  return Portfolio.findOne({ userId: String(user._id), courseId: String((await practiceCourse())._id) }).lean();
}
async function sectionsOf(sub: string) {
  const portfolio = await portfolioOf(sub);
  const sections = portfolio ? await Section.find({ portfolio: portfolio._id }).lean() : [];
  return new Map(sections.map((s) => [s.areaId, s]));
}

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

test('the sample course comes with sample portfolios: Amara well on (approved, needs more work, waiting, comments, evidence), Rhys begun, Mei not started', async () => {
  const amara = await sectionsOf('practice-amara');
  expect(amara.get('4')!.state).toBe('meets_criterion');
  expect(amara.get('2b')!.state).toBe('needs_more_work');
  expect(amara.get('contextual')!.state).toBe('ready_for_review');
  expect(amara.get('1a')!.state).toBe('draft');
  expect(amara.get('1b')!.version).toBe(0); // not every area is written
  const written = [...amara.values()].filter((s) => s.body);
  expect(written.length).toBe(5);
  const words = (areaId: string) => amara.get(areaId)!.body.split(/\s+/).length;
  for (const areaId of ['contextual', '1a', '4']) expect(words(areaId)).toBeGreaterThan(200);
  for (const areaId of ['2b', 'specialist-1']) expect(words(areaId)).toBeGreaterThan(90);
  // the mentor's reviews, with feedback for the one that needs more work; a comment thread with the candidate's reply
  const reviews = await MentorReview.find({ section: { $in: [amara.get('4')!._id, amara.get('2b')!._id] } }).lean();
  expect(reviews.map((r) => r.decision).sort()).toEqual(['meets_criterion', 'needs_more_work']);
  expect(reviews.find((r) => r.decision === 'needs_more_work')!.feedback).toContain('specific example');
  const comments = await Comment.find({ section: amara.get('1a')!._id }).lean();
  expect(comments).toHaveLength(2);
  expect(comments.filter((c) => c.parent)).toHaveLength(1);
  // an example with a web link and a small PDF made at seed time
  const example = amara.get('1a')!.examples[0];
  expect(example.title).toBe('Lecture capture pilot in small seminar rooms');
  const evidence = await Evidence.find({ _id: { $in: example.evidenceIds } }).lean();
  expect(evidence.map((e) => e.kind).sort()).toEqual(['file', 'link']);
  const file = evidence.find((e) => e.kind === 'file')!;
  expect(file.file!.contentType).toBe('application/pdf');
  const candidate = await openAs('practice-amara');
  const download = await candidate.session.get(`/portfolio/evidence/${String(file._id)}/download`);
  expect(download.status).toBe(200);
  expect(download.html.startsWith('%PDF-')).toBe(true);
  // Rhys has begun; Mei has not
  const rhys = await sectionsOf('practice-rhys');
  expect(rhys.get('contextual')!.body).toContain('VLE champion');
  expect(await portfolioOf('practice-mei')).toBeNull();
  // Helen mentors all three
  const courseId = String((await practiceCourse())._id);
  expect((await MentorAssignment.find({ courseId, mentorSub: 'practice-helen' }).lean()).map((a) => a.candidateSub).sort()).toEqual(['practice-amara', 'practice-mei', 'practice-rhys']);
  // every page shows it: the candidate's overview, the mentor's dashboard with Amara's section waiting
  expect(candidate.session.html).toContain('Contextual statement');
  const mentor = await openAs('practice-helen');
  expect(mentor.session.html).toContain('Amara Okafor');
  expect(mentor.session.html).toContain('Contextual statement');
});

test('the installer opens the registration pages for this practice VLE only: no real VLE is listed or reachable', async () => {
  const { client } = await signIn(tool);
  const added = await client.get('/admin');
  expect(added.status).toBe(200);
  const jar = new CookieJar();
  const { session } = await openAs('practice-jo', jar);
  expect(session.status).toBe(200);
  expect(new URL(session.url).pathname).toBe('/admin');
  const list = await send(jar, at('/admin'));
  expect(list.status).toBe(200);
  expect(list.html).toContain('Jo Whitfield');
  expect(list.html).toContain('This VLE’s registration');
  // their own VLE's registration, as a real VLE's administrator sees theirs (never "not found")
  expect(list.html).toContain(PRACTICE_VLE_NAME);
  expect(list.html).not.toContain('registration was not found');
  expect(list.html).toContain(`${tool.baseUrl}/practice`);
  // a real VLE (another issuer) is not this installer's to see or change
  const other = await tool.lti.registerPlatform({
    url: 'https://vle.example.ac.uk',
    name: 'A real VLE',
    clientId: 'real-client',
    authenticationEndpoint: 'https://vle.example.ac.uk/auth',
    accesstokenEndpoint: 'https://vle.example.ac.uk/token',
    authConfig: { method: 'JWK_SET', key: 'https://vle.example.ac.uk/jwks' },
  });
  try {
    expect((await send(jar, at('/admin'))).html).not.toContain('A real VLE');
    const byId = await send(jar, at(`/admin/platforms/${await other.platformId()}`));
    expect([403, 404]).toContain(byId.status);
    expect(byId.html).not.toContain('https://vle.example.ac.uk/auth');
    const page = await send(jar, at('/admin'));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const deactivate = await send(jar, at(`/admin/platforms/${await other.platformId()}/deactivate`), { method: 'POST', form: { _csrf: csrf } });
    expect([403, 404]).toContain(deactivate.status);
    expect(await other.platformActive()).toBe(true);
  } finally {
    await tool.lti.deletePlatform('https://vle.example.ac.uk', 'real-client');
  }
});

test('"Open in a new window" is the same real launch at the top level of a new window, with the tool’s cookies', async () => {
  const jar = new CookieJar();
  const start = await send(jar, at('/practice/'));
  expect(start.html).toContain('target="_blank"');
  const opened = await send(jar, at('/practice/open'), { method: 'POST', form: { _csrf: csrfOf(start.html), person: 'practice-rhys', window: '1' } });
  expect(opened.status).toBe(303);
  expect(opened.location).toContain(`${tool.baseUrl}/lti/login?`); // no course page: the tool's login, top level
  const login = await send(jar, opened.location!);
  const auth = await send(jar, login.location!);
  const form = readForm(auth.html, auth.url)!;
  const claims = decodeJwt(form.fields.id_token).payload as Record<string, { document_target?: string }>;
  expect(claims['https://purl.imsglobal.org/spec/lti/claim/launch_presentation'].document_target).toBe('window');
  const { final } = await sendFollowing(jar, form.action, { method: 'POST', form: form.fields });
  expect(final.status).toBe(200);
  expect(new URL(final.url).pathname).toMatch(/^\/portfolio/);
  expect(final.html).toContain('Rhys Llewellyn');
  expect(jar.header(new URL(at('/portfolio')))).toBeDefined(); // the tool's session cookie, set at the top level
});

test('a restart keeps the practice gradebook’s scores and writes no sample twice', async () => {
  const amaraBefore = await sectionsOf('practice-amara');
  const commentsBefore = await Comment.countDocuments({ section: amaraBefore.get('1a')!._id });
  const portfoliosBefore = await Portfolio.countDocuments({});
  const port = Number(new URL(tool.baseUrl).port);
  await tool.close();
  tool = await startTestTool({ env: { PRACTICE_VLE: 'on' }, reuse, port }); // the same address: the same issuer and course
  const gradebook = await send(new CookieJar(), at('/practice/gradebook'));
  expect(gradebook.html).toMatch(/Rhys Llewellyn<\/td>\s*<td>0 \/ 100<\/td>/);
  expect(tool.practice!.ags.scoresFor('practice-rhys').length).toBeGreaterThan(0);
  expect(await Portfolio.countDocuments({})).toBe(portfoliosBefore);
  const amaraAfter = await sectionsOf('practice-amara');
  expect(await Comment.countDocuments({ section: amaraAfter.get('1a')!._id })).toBe(commentsBefore);
  expect(String(amaraAfter.get('1a')!._id)).toBe(String(amaraBefore.get('1a')!._id));
  // the tool's line item address still answers: the worker's next score lands in the same column
  const worker = aWorker(tool);
  await worker.reconcile();
  await settle(worker);
  expect(tool.practice!.lineItems()).toHaveLength(1);
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

test('reset erases the old course’s records in the tool (portfolios, comments, reviews, evidence, memberships, scores) and seeds the new one', async () => {
  const old = await openAs('practice-mei');
  const oldHint = new URL(old.coursePage.url).searchParams.get('hint')!;
  const oldCourse = await practiceCourse();
  const oldCourseId = String(oldCourse._id);
  const oldPortfolios = await Portfolio.find({ courseId: oldCourseId }).lean();
  const oldSections = await Section.find({ portfolio: { $in: oldPortfolios.map((p) => p._id) } }, { _id: 1 }).lean();
  const oldFileIds = (await Evidence.find({ courseId: oldCourseId, kind: 'file' }).lean()).map((e) => e.file!.fileId);
  expect(oldPortfolios.length).toBe(2); // Amara's and Rhys's
  expect(await Comment.countDocuments({ section: { $in: oldSections.map((s) => s._id) } })).toBeGreaterThan(0);
  expect(oldFileIds.length).toBeGreaterThan(0);
  expect(tool.practice!.ags.scoresFor('practice-rhys').length).toBeGreaterThan(0);

  const jar = new CookieJar();
  const start = await send(jar, at('/practice/'));
  const reset = await sendFollowing(jar, at('/practice/reset'), { method: 'POST', form: { _csrf: csrfOf(start.html) } });
  expect(reset.final.status).toBe(200);
  expect(reset.final.html).toContain('The practice course was reset');
  expect(tool.practice!.state.generation).toBe(2);
  expect(tool.practice!.course.id).toBe('practice-cmalt-2');

  // the old course is gone from the tool: its course, memberships, portfolios, sections, comments, reviews, evidence and files
  expect(await Course.countDocuments({ _id: oldCourse._id })).toBe(0);
  expect(await Membership.countDocuments({ course: oldCourse._id })).toBe(0);
  expect(await Portfolio.countDocuments({ courseId: oldCourseId })).toBe(0);
  expect(await Section.countDocuments({ _id: { $in: oldSections.map((s) => s._id) } })).toBe(0);
  expect(await Comment.countDocuments({ section: { $in: oldSections.map((s) => s._id) } })).toBe(0);
  expect(await MentorReview.countDocuments({ portfolio: { $in: oldPortfolios.map((p) => p._id) } })).toBe(0);
  expect(await MentorAssignment.countDocuments({ courseId: oldCourseId })).toBe(0);
  expect(await Evidence.countDocuments({ courseId: oldCourseId })).toBe(0);
  expect(await mongoose.connection.db!.collection('evidence.files').countDocuments({ _id: { $in: oldFileIds } })).toBe(0);
  // and from the practice gradebook
  expect(tool.practice!.ags.scoresFor('practice-rhys')).toEqual([]);
  expect((await send(new CookieJar(), at('/practice/gradebook'))).html).not.toMatch(/\d+ \/ 100/);

  // the new course has the sample portfolios again, as they first were; Mei has not started in it
  const amara = await sectionsOf('practice-amara');
  expect(amara.get('4')!.state).toBe('meets_criterion');
  expect(amara.get('2b')!.state).toBe('needs_more_work');
  expect(await portfolioOf('practice-mei')).toBeNull();
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
  expect(existsSync(path.join(reuse.dataDir, 'practice-gradebook.json'))).toBe(false);
});

