/* The rate-limit counters live in MongoDB: two tool instances count the same attempts. */
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import mongoose from 'mongoose';
import request from 'supertest';
import { MongoRateLimitStore, RateLimitHit } from '../../src/http/rate-limit-store';
import { freshDatabaseUri } from '../support/db';

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('ratelimit'));
  await RateLimitHit.init();
});
afterAll(() => mongoose.disconnect());

/** One "instance": its own Express app, limiter and store object, on the shared database. */
function anInstance(prefix: string, windowMs = 60_000, clock?: () => Date) {
  const app = express();
  app.post(
    '/login',
    rateLimit({ windowMs, limit: 3, skipSuccessfulRequests: true, store: new MongoRateLimitStore(prefix, clock), handler: (_req, res) => void res.status(429).send('Too many attempts') }),
    (req, res) => void res.status(req.query.ok ? 200 : 401).send(req.query.ok ? 'in' : 'wrong'),
  );
  return app;
}

describe('MongoRateLimitStore', () => {
  test('wrong attempts on one instance count on the other', async () => {
    const a = anInstance('shared:');
    const b = anInstance('shared:');
    expect((await request(a).post('/login')).status).toBe(401);
    expect((await request(b).post('/login')).status).toBe(401);
    expect((await request(a).post('/login')).status).toBe(401);
    expect((await request(b).post('/login')).status).toBe(429);
    expect((await request(a).post('/login?ok=1')).status).toBe(429); // even the right answer waits
  });

  test('successful attempts do not count, and another prefix is another counter', async () => {
    const app = anInstance('success:');
    for (let i = 0; i < 5; i += 1) expect((await request(app).post('/login?ok=1')).status).toBe(200);
    expect((await RateLimitHit.findOne({ key: /^success:/ }).lean())?.hits).toBe(0);
    // a full counter under one prefix leaves another prefix's counter alone
    const full = anInstance('full:');
    for (let i = 0; i < 3; i += 1) expect((await request(full).post('/login')).status).toBe(401);
    expect((await request(full).post('/login')).status).toBe(429);
    expect((await request(anInstance('other:')).post('/login')).status).toBe(401);
  });

  test('once the window has ended the attempts start again', async () => {
    let now = Date.now();
    const app = anInstance('window:', 300, () => new Date(now));
    for (let i = 0; i < 3; i += 1) expect((await request(app).post('/login')).status).toBe(401);
    expect((await request(app).post('/login')).status).toBe(429);
    now += 350; // the window has ended, without waiting for it
    expect((await request(app).post('/login')).status).toBe(401);
    expect(await RateLimitHit.countDocuments({ key: /^window:/ })).toBe(1);
  });

  test('many instances opening the same window at once lose no attempt', async () => {
    const apps = Array.from({ length: 4 }, () => anInstance('race:'));
    const answers = await Promise.all(apps.map((app) => request(app).post('/login')));
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 429]);
  });
});
