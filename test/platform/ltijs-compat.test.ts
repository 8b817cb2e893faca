/**
 * The platform speaks what ltijs 5.9.9 expects: real ltijs (with an in-memory store instead of
 * MongoDB) registers itself dynamically, launches, asks for tokens, posts scores and reads members.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { launchAs } from '../support/launch';
import { readForm, send, CookieJar } from '../support/platform/browser-http';
import { LtijsMemoryDb } from './ltijs-memory-db';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const lti = require('ltijs').Provider;

let platform: TestPlatform;
let server: http.Server;
let tool: { baseUrl: string };

beforeAll(async () => {
  platform = await startTestPlatform();
  let handler: http.RequestListener = (_req, res) => { res.statusCode = 503; res.end(); };
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  tool = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  await lti.setup('platform-compat-key', { plugin: new LtijsMemoryDb() }, {
    appRoute: '/lti/launch',
    loginRoute: '/lti/login',
    keysetRoute: '/lti/keys',
    dynRegRoute: '/lti/register',
    cookies: { secure: true, sameSite: 'None' },
    dynReg: { url: tool.baseUrl, name: 'CMALT compat', autoActivate: true },
  });
  lti.onConnect((_token: unknown, _req: Request, res: Response) =>
    res.send(`<!doctype html><meta name="ltik" content="${res.locals.ltik}"><meta name="csrf-token" content="x"><p>Launched</p>`));
  lti.onDeepLinking(async (token: unknown, _req: Request, res: Response) => {
    const items = [{ type: 'ltiResourceLink', title: 'CMALT portfolio', url: `${tool.baseUrl}/lti/launch` }];
    res.send(await lti.DeepLinking.createDeepLinkingForm(token, items, { message: 'Added' }));
  });
  lti.app.post('/grade', async (_req: Request, res: Response) => {
    const idtoken = res.locals.token;
    const lineItemId = idtoken.platformContext.endpoint.lineitem
      ?? (await lti.Grade.createLineItem(idtoken, { label: 'Portfolio', scoreMaximum: 100, resourceLinkId: idtoken.platformContext.resource.id })).id;
    await lti.Grade.submitScore(idtoken, lineItemId, { userId: idtoken.user, scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    res.json({ lineItemId });
  });
  lti.app.get('/members', async (_req: Request, res: Response) => {
    res.json(await lti.NamesAndRoles.getMembers(res.locals.token, { pages: false }));
  });
  await lti.deploy({ serverless: true, silent: true });
  handler = lti.app;
});

afterAll(async () => {
  await lti.close({ silent: true }).catch(() => undefined);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await platform.close();
});

test('ltijs registers itself through dynamic registration', async () => {
  const answer = await platform.registerWithTool(`${tool.baseUrl}/lti/register`);
  expect(answer.status).toBe(200);
  expect(answer.html).toContain('org.imsglobal.lti.close');
  expect(answer.client).toMatchObject({ targetLinkUri: `${tool.baseUrl}/lti/launch`, jwksUrl: `${tool.baseUrl}/lti/keys` });
});

test('ltijs accepts a launch, gets a token, posts a score and reads members', async () => {
  const alice = platform.user({ name: 'Alice Smith' });
  const course = platform.course({ title: 'CMALT 2026' });
  platform.setMembers(course.id, [{ user: alice, roles: ['Learner'] }, { user: platform.user(), roles: ['Instructor'] }]);
  const session = await launchAs(tool, platform, { role: 'Learner', user: alice, course });
  expect(session.status).toBe(200);
  expect(session.ok).toBe(true);
  const graded = await session.postJson('/grade', {});
  expect(graded.status).toBe(200);
  expect(platform.ags.scoresFor(alice.id)).toEqual([expect.objectContaining({ scoreGiven: 80, gradingProgress: 'FullyGraded' })]);
  expect(platform.token.requests.at(-1)).toMatchObject({ status: 200 });
  const members = await session.get('/members');
  expect(members.json<{ members: unknown[] }>().members).toHaveLength(2);
  platform.assertNoUnexpectedCalls();
});

test('ltijs answers a deep linking launch with a response the platform verifies', async () => {
  const session = await launchAs(tool, platform, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest' });
  expect(session.status).toBe(200);
  const form = readForm(session.html, session.url);
  expect(form?.action).toContain(`${platform.baseUrl}/deep-link-return`);
  const back = await send(new CookieJar(), form!.action, { method: 'POST', form: form!.fields });
  expect(back.status).toBe(200);
  expect(platform.deepLinkReturns.at(-1)).toMatchObject({ verified: true, problems: [], contentItems: [expect.objectContaining({ type: 'ltiResourceLink' })] });
});

test.each([
  ['badSignature', { badSignature: true }, 'invalid signature'],
  ['unknownKid', { unknownKid: true }, 'KEY_NOT_FOUND'],
  ['unsigned', { unsigned: true }, ''],
  ['expired', { expired: true }, 'jwt expired'],
  ['wrongAud', { wrongAud: true }, 'UNREGISTERED_PLATFORM'],
  ['azpMismatch', { azpMismatch: true }, 'AZP_DOES_NOT_MATCH_CLIENTID'],
  ['unknownIssuer', { unknownIssuer: true }, 'ISS_CLAIM_DOES_NOT_MATCH'],
  ['state forged', { state: 'forged' as const }, 'MISSING_VALIDATION_COOKIE'],
  ['state missing', { state: 'missing' as const }, 'MISSING_VALIDATION_COOKIE'],
  ['messageType', { messageType: 'LtiSubmissionReviewRequest' }, 'NO_MESSAGE_TYPE_CLAIM'],
  ['version', { version: '1.1.0' }, 'WRONG_LTI_VERSION_CLAIM'],
  ['missingSub', { missingSub: true }, 'NO_SUB_CLAIM'],
  ['missingRoles', { missingRoles: true }, 'NO_ROLES_CLAIM'],
])('ltijs refuses a launch forged with %s', async (_name, forge, reason) => {
  const session = await launchAs(tool, platform, { role: 'Learner', forge });
  expect(session.ok).toBe(false);
  expect(session.status).toBe(401);
  expect(session.html).toContain(reason);
});

test('ltijs refuses a replayed id_token', async () => {
  const first = await launchAs(tool, platform, { role: 'Learner' });
  expect(first.ok).toBe(true);
  const replay = await launchAs(tool, platform, { role: 'Learner', forge: { replayOf: first.launch } });
  expect(replay.ok).toBe(false);
});

/** Bare ltijs lets these through; the tool must refuse them itself (see the LTI security tests). */
test.each([
  ['iatInFuture', { iatInFuture: true }],
  ['unknownDeployment', { unknownDeployment: true }],
  ['wrongNonce', { wrongNonce: true }],
])('bare ltijs does not refuse %s', async (_name, forge) => {
  const session = await launchAs(tool, platform, { role: 'Learner', forge });
  expect(session.ok).toBe(true);
});
