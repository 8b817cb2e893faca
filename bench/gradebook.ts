/*
 * The grade outbox against the floor of raw AGS posts, in one run against the same test platform:
 * 200 candidates' scores drained through the outbox (claim with a lease, read the portfolio, compute the
 * score, post, mark sent) versus 200 bare POSTs of the same scores with a cached token, at the same
 * concurrency. Prints the ratio (goal < 1.2x). `npm run bench -- gradebook` or `npx tsx bench/gradebook.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../src/boot';
import { loadConfig } from '../src/config';
import { startEmbeddedServer } from '../src/db/embedded';
import { createGradebookWorker } from '../src/gradebook';
import { gradebookLineModel } from '../src/gradebook/line.model';
import { gradeOutboxModel } from '../src/gradebook/outbox.model';
import { createPlatformClient, ltijsCredentials } from '../src/vle/platform-client';
import { requestGradeSync } from '../src/gradebook/service';
import { Deployment } from '../src/lti/deployment.model';
import { User } from '../src/people/user.model';
import { Course } from '../src/people/course.model';
import { quietLogger } from '../src/log';
import { frameworks } from '../src/portfolio/framework';
import { openOrCreatePortfolio } from '../src/portfolio/portfolio.service';
import { launchAs } from '../test/support/launch';
import { startTestPlatform } from '../test/support/platform';
import { onLoopback } from './support/loopback';
import { record } from './support/summary';
import { runIfMain } from './support/main';

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  const db = await startEmbeddedServer({ log: { warn: () => undefined, info: () => undefined } });
  const platform = await startTestPlatform();
  const server = await onLoopback();
  const baseUrl = server.url;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cmalt-bench-gradebook-'));
  const dbUri = `${db.uri.replace(/\/$/, '')}/bench_gradebook`;
  await mongoose.connect(dbUri);
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: baseUrl, DATA_DIR: dataDir, LTI_KEY: 'bench-lti-key-0123456789', LOG_LEVEL: 'silent', PRACTICE_VLE: 'off', OUTBOUND_LOOPBACK: 'true' }); // the bench VLE is on loopback
  const tool = await createApp({ config, log: quietLogger(), dbUri });
  server.server.on('request', tool.app);
  try {
    const client = platform.addClient({ jwksUrl: `${baseUrl}/lti/keys`, loginUrl: `${baseUrl}/lti/login`, targetLinkUri: `${baseUrl}/lti/launch`, deploymentIds: ['dep-1'] });
    const d = platform.registrationDetailsForTool(client.clientId);
    const registered = await tool.lti.registerPlatform({
      url: d.issuer, name: 'Bench VLE', clientId: d.clientId, authenticationEndpoint: d.authorizationEndpoint,
      accesstokenEndpoint: d.tokenEndpoint, authConfig: { method: 'JWK_SET', key: d.jwksUrl },
    });
    await registered.platformActive(true);
    await Deployment.create({ platformUrl: d.issuer, clientId: d.clientId, deploymentId: d.deploymentId, active: true });

    // Setup (not timed): a coordinator's launch gives the course its gradebook; 200 candidates with portfolios.
    const course = platform.course();
    const launched = await launchAs({ baseUrl }, platform, { role: 'Instructor', course });
    if (!launched.ok) throw new Error(`bench launch failed: ${launched.status}`);
    const courseId = String((await Course.findOne({ contextId: course.id }).lean())!._id);
    const users = await User.insertMany(Array.from({ length: CANDIDATES }, (_, i) => ({ issuer: platform.issuer, sub: `bench-${i}`, name: `Candidate ${i}` })));
    for (const u of users) await openOrCreatePortfolio(frameworks(), { userId: String(u._id), courseId }, { pathway: 'cmalt', specialistAreas: ['Accessibility'] });

    const worker = createGradebookWorker({ lti: tool.lti, log: quietLogger(), options: { concurrency: CONCURRENCY } });
    await worker.reconcile(true);
    await drain(worker); // warm-up: line item found/created, token fetched, every candidate sent once
    const line = (await gradebookLineModel(mongoose.connection).findOne({ courseId }).lean())!;
    const raw = createPlatformClient({ credentials: ltijsCredentials(tool.lti) });
    const target = { issuer: line.issuer, clientId: line.clientId };
    await raw.call(target, [SCORE_SCOPE], { method: 'GET', url: line.lineItemUrl!, accept: 'application/vnd.ims.lis.v2.lineitem+json' }).catch(() => undefined);

    const outboxMs: number[] = [];
    const rawMs: number[] = [];
    const rawRound = async () => {
      // Floor: the same 200 scores, POSTed directly with a cached token, CONCURRENCY at a time.
      const scores = users.map((u) => ({ userId: u.sub, scoreGiven: 0, scoreMaximum: 100, comment: '0 of 11 areas meet the criterion', activityProgress: 'Initialized', gradingProgress: 'NotReady' }));
      let next = 0;
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < scores.length) {
          const s = scores[next++];
          await raw.call(target, [SCORE_SCOPE], { method: 'POST', url: `${line.lineItemUrl}/scores`, contentType: 'application/vnd.ims.lis.v1.score+json', body: { ...s, timestamp: new Date().toISOString() } });
        }
      }));
      rawMs.push(ms(start));
    };
    const outboxRound = async () => {
      // The outbox: every candidate queued again (as "sync all"), then drained by the worker.
      await requestGradeSync({ connection: mongoose.connection, now: () => new Date() }, courseId);
      const start = process.hrtime.bigint();
      const sent = await drain(worker);
      outboxMs.push(ms(start));
      if (sent !== CANDIDATES) throw new Error(`the outbox sent ${sent} of ${CANDIDATES}`);
    };
    // Alternating which goes first, so a busy moment on the machine does not favour one side.
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2) {
        await outboxRound();
        await rawRound();
      } else {
        await rawRound();
        await outboxRound();
      }
    }
    const posted = platform.ags.calls.filter((c) => c.path.endsWith('/scores') && c.status === 204).length;
    const ratio = median(outboxMs) / median(rawMs);
    console.log(`gradebook: ${CANDIDATES} candidates, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (${posted} score posts reached the VLE)`);
    console.log(`  raw AGS POSTs       median ${median(rawMs).toFixed(0)} ms  (${rawMs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  through the outbox  median ${median(outboxMs).toFixed(0)} ms  (${outboxMs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  ratio outbox / raw: ${ratio.toFixed(2)}x (goal < 1.2x) ${ratio < 1.2 ? 'MET' : 'NOT MET'}`);
    record({ figure: `grade outbox: ${CANDIDATES} scores through the outbox over raw AGS posts`, goal: '< 1.2x', value: ratio, text: `${ratio.toFixed(2)}x`, met: ratio < 1.2, note: `${median(outboxMs).toFixed(0)} vs ${median(rawMs).toFixed(0)} ms` });
  } finally {
    await server.close();
    await tool.close();
    await mongoose.disconnect();
    await platform.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drain(worker: ReturnType<typeof createGradebookWorker>): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 100; i += 1) {
    sent += (await worker.drainOnce()).sent;
    if (!(await gradeOutboxModel(mongoose.connection).countDocuments({ status: { $in: ['pending', 'sending'] } }))) return sent;
  }
  throw new Error('the outbox did not drain');
}

runIfMain(module, run);
