/*
 * The lean request path (perf): what it keeps between requests must never change who may do what, and the body
 * limit lets a long section through while a far too long one gets a plain answer.
 */
import path from 'node:path';
import mongoose from 'mongoose';
import { TEXT_TOO_LONG } from '../../src/portfolio';
import { toolSuite } from '../support/suite';
import { launchAs, type ToolSession } from '../support/launch';
import { aLaunchedCandidate, sectionNow } from '../portfolio/journey';

/** ltijs keeps its id and context tokens through its own copy of mongoose. */
const ltijsMongoose = require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

interface LtijsDatabase {
  Get(key: false, collection: string, query: Record<string, unknown>): Promise<Array<Record<string, unknown>> | false>;
  Replace(key: false, collection: string, query: Record<string, unknown>, item: Record<string, unknown>): Promise<true>;
}

const suite = toolSuite();

/** A paragraph-per-line section of about `bytes` bytes of HTML. */
const longSection = (bytes: number) => {
  const p = '<p>I planned, ran and evaluated a change to how staff use the VLE, and reflected on what I would do next time.</p>';
  return p.repeat(Math.ceil(bytes / p.length));
};

describe('section text and the body limit', () => {
  test('a 200 kB section saves, by autosave and by the no-JavaScript form', async () => {
    const course = suite.platform.course({ title: 'Long writing course' });
    const { session: s, id } = await aLaunchedCandidate(suite.tool, suite.platform, course, 'Lena Long');
    const body = longSection(200_000);
    const put = await s.put(`/portfolio/sections/${id('contextual')}`, { baseVersion: 0, body });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ version: 1 });
    expect((await sectionNow(id('contextual'))).body.length).toBeGreaterThan(199_000);

    const form = await s.post(`/portfolio/sections/${id('future-plans')}`, { baseVersion: '0', format: 'html', body });
    expect(form.status).toBe(200);
    expect(form.html).toContain('Saved.');
    expect((await sectionNow(id('future-plans'))).body.length).toBeGreaterThan(199_000);
  });

  test('a 2 MB section is refused with "that text is too long", not a file message, and nothing changes', async () => {
    const course = suite.platform.course({ title: 'Too long course' });
    const { session: s, id } = await aLaunchedCandidate(suite.tool, suite.platform, course, 'Tom Toolong');
    const body = longSection(2_000_000);

    const put = await s.put(`/portfolio/sections/${id('contextual')}`, { baseVersion: 0, body });
    expect(put.status).toBe(413);
    expect(put.json()).toEqual({ error: { id: 'text_too_long', message: TEXT_TOO_LONG.message } });

    const form = await s.post(`/portfolio/sections/${id('contextual')}`, { baseVersion: '0', format: 'html', body });
    expect(form.status).toBe(413);
    expect(form.html).toContain(TEXT_TOO_LONG.heading);
    expect(form.html).not.toContain('file is too large');
    expect(await sectionNow(id('contextual'))).toMatchObject({ version: 0, body: '' });
  });
});

describe('what the request path keeps between requests', () => {
  test('a warm session still needs its session cookie and an untampered ltik', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', course: suite.platform.course() });
    expect((await s.get('/portfolio')).status).toBe(200); // who and ltijs's tokens are now kept
    expect((await s.get('/portfolio')).status).toBe(200);

    const noCookie = await fetch(`${suite.tool.baseUrl}/portfolio?ltik=${encodeURIComponent(s.ltik!)}`, { headers: { accept: 'application/json' } });
    expect(noCookie.status).toBe(401);

    const [head, payload, signature] = s.ltik!.split('.');
    const forged = `${head}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const tampered = await s.get('/portfolio', { ltik: forged }, { headers: { accept: 'application/json' } });
    expect(tampered.status).toBe(401);
  });

  test("a coordinator's role change applies at once to a session that is already open", async () => {
    const course = suite.platform.course({ title: 'Changing roles course' });
    const learner = await launchAs(suite.tool, suite.platform, { role: 'Learner', course });
    const before = await learner.get('/portfolio');
    expect(before.status).toBe(200);
    expect(before.html).toContain('Start your CMALT portfolio');

    const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course });
    const page = await coordinator.get('/lti/roles');
    const keys = [...page.html.matchAll(/name="(key\d+)" value="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    const learnerField = keys.find(([, v]) => v === 'context:Learner')![0];
    const saved = await coordinator.post('/lti/roles', { [learnerField]: 'context:Learner', [learnerField.replace('key', 'roles')]: 'mentor' });
    expect(saved.html).toContain('Your changes have been saved');

    const after = await learner.get('/portfolio');
    expect(after.status).toBe(403); // now a mentor: portfolios belong to candidates
  });

  test("ltijs's token reads are kept until ltijs writes that token again; deep-linking context tokens are never kept", async () => {
    const s: ToolSession = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Kit Kept' }), course: suite.platform.course() });
    expect(s.ok).toBe(true);
    const db = suite.tool.lti.Database as unknown as LtijsDatabase;
    const IdToken = ltijsMongoose.model('idtoken');
    const stored = (await IdToken.findOne({ 'userInfo.name': 'Kit Kept' }).lean()) as Record<string, unknown> | null;
    const { iss, clientId, deploymentId, user } = stored!;
    const query = { iss, clientId, deploymentId, user };
    const nameNow = async () => ((await db.Get(false, 'idtoken', query)) as Array<{ userInfo: { name: string } }>)[0].userInfo.name;

    expect(await nameNow()).toBe('Kit Kept');
    await IdToken.updateOne(query, { $set: { 'userInfo.name': 'Changed Behind' } }); // not through ltijs: not seen yet
    expect(await nameNow()).toBe('Kit Kept');
    await db.Replace(false, 'idtoken', query, { ...query, userInfo: { name: 'Kit Relaunched' } }); // ltijs's own write
    expect(await nameNow()).toBe('Kit Relaunched');

    const ContextToken = ltijsMongoose.model('contexttoken');
    const ctx = (await ContextToken.findOne({ user }).lean()) as Record<string, unknown>;
    const ctxQuery = { contextId: ctx.contextId, user };
    await db.Replace(false, 'contexttoken', ctxQuery, { ...ctxQuery, messageType: 'LtiDeepLinkingRequest', deepLinkingSettings: { data: 'first' } });
    const dataNow = async () => ((await db.Get(false, 'contexttoken', ctxQuery)) as Array<{ deepLinkingSettings: { data: string } }>)[0].deepLinkingSettings.data;
    expect(await dataNow()).toBe('first');
    await ContextToken.updateOne(ctxQuery, { $set: { 'deepLinkingSettings.data': 'second' } });
    expect(await dataNow()).toBe('second');
  });

  test("a launch keeps the tokens it wrote exactly as a read of the database gives them, so its landing page reads none", async () => {
    const course = suite.platform.course({ title: 'Primed course' });
    const reads: string[] = [];
    ltijsMongoose.set('debug', (coll: string, method: string) => void reads.push(`${coll}.${method}`));
    let s: ToolSession;
    try {
      s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Pia Primed' }), course });
    } finally {
      ltijsMongoose.set('debug', false);
    }
    expect(s.ok).toBe(true);
    const afterWrite = reads.slice(reads.lastIndexOf('contexttokens.replaceOne') + 1);
    expect(reads).toContain('contexttokens.replaceOne');
    expect(afterWrite.filter((r) => /^(idtokens|contexttokens)\.find/.test(r))).toEqual([]); // the landing page read nothing

    const db = suite.tool.lti.Database as unknown as LtijsDatabase;
    const IdToken = ltijsMongoose.model('idtoken');
    const ContextToken = ltijsMongoose.model('contexttoken');
    const stored = (await IdToken.findOne({ 'userInfo.name': 'Pia Primed' }).lean()) as Record<string, unknown>;
    const { iss, clientId, deploymentId, user } = stored;
    const idQuery = { iss, clientId, deploymentId, user };
    const ctx = (await ContextToken.findOne({ user }).lean()) as Record<string, unknown>;
    const ctxQuery = { contextId: ctx.contextId, user };
    // what the cache answers, against what the database holds (both as ltijs uses them: a JSON copy)
    const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Array<Record<string, unknown>>;
    const withoutTimes = (docs: Array<Record<string, unknown>>) => docs.map(({ createdAt: _c, ...rest }) => rest);
    const fromDb = async (Model: typeof IdToken, q: Record<string, unknown>) => json(await Model.find(q).select('-__v -_id'));
    expect(withoutTimes(json(await db.Get(false, 'idtoken', idQuery)))).toEqual(withoutTimes(await fromDb(IdToken, idQuery)));
    expect(withoutTimes(json(await db.Get(false, 'contexttoken', ctxQuery)))).toEqual(withoutTimes(await fromDb(ContextToken, ctxQuery)));
  });

  test("a platform's status is kept for its launches, and ltijs's own change of it applies at once", async () => {
    const db = suite.tool.lti.Database as unknown as LtijsDatabase;
    const issuer = suite.platform.issuer;
    const [registered] = (await suite.tool.lti.getPlatform(issuer)) as Array<{ platformKid(): Promise<string>; platformActive(a?: boolean): Promise<boolean> }>;
    const kid = await registered.platformKid();
    const PlatformStatus = ltijsMongoose.model('platformStatus');
    expect(await registered.platformActive()).toBe(true);
    await PlatformStatus.updateOne({ id: kid }, { $set: { active: false } }, { upsert: true }); // not through ltijs: not seen yet
    expect(await registered.platformActive()).toBe(true);
    await registered.platformActive(false); // an installer deactivating it through ltijs
    expect(await registered.platformActive()).toBe(false);
    expect((await launchAs(suite.tool, suite.platform, { role: 'Learner', course: suite.platform.course() })).ok).toBe(false);
    await registered.platformActive(true);
    expect((await launchAs(suite.tool, suite.platform, { role: 'Learner', course: suite.platform.course() })).ok).toBe(true);
    expect(await db.Get(false, 'platformStatus', { id: kid })).toEqual([expect.objectContaining({ active: true })]);
  });
});

