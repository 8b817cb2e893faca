/*
 * Full LTI launches per second (login -> platform /auth -> id_token POST -> landing page) through the test
 * platform, against a floor measured in the same run: bare Express verifying one RS256 id_token of the same
 * size and doing one findOneAndUpdate, and against the protocol's minimum (bare Express doing only what LTI
 * requires: bench/support/minimal-lti-tool.ts). Prints both ratios and the database calls of one launch; the table's
 * goal is 0.8 of the protocol minimum. `npm run bench -- launch` or `npx tsx bench/launch.ts`.
 */
import { createPublicKey } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../src/db/embedded';
import { launchAs, startLogin } from '../test/support/launch';
import { interleaved } from './support/interleaved';
import { countOps } from './support/ops';
import { record } from './support/summary';
import { onLoopback } from './support/loopback';
import { startMinimalLtiTool } from './support/minimal-lti-tool';
import { startBenchTool } from './support/tool';
import { startTestPlatform } from '../test/support/platform';
import { runIfMain } from './support/main';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** The floor: what any LTI tool must do per launch at the least (verify one id_token, write one document). */
async function startFloor(dbBase: string, jwksUrl: string) {
  const jwks = (await (await fetch(jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
  const key = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' });
  const conn = await mongoose.createConnection(`${dbBase}/bench_floor`).asPromise();
  const Seen = conn.model('Seen', new mongoose.Schema({ sub: String, count: Number }));
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/launch', async (req, res) => {
    const claims = jwt.verify(String(req.body.id_token), key, { algorithms: ['RS256'], ignoreExpiration: true }) as { sub: string };
    await Seen.findOneAndUpdate({ sub: claims.sub }, { $inc: { count: 1 } }, { upsert: true, new: true });
    res.send('ok');
  });
  const { url, close } = await onLoopback(app);
  return {
    url,
    close: async () => {
      await close();
      await conn.close();
    },
  };
}

export async function run(): Promise<void> {
  const engine = await startEmbeddedServer({});
  const dbBase = engine.uri.split('?')[0].replace(/\/$/, '');
  const platform = await startTestPlatform();
  const tool = await startBenchTool(dbBase, 'bench_tool', platform);
  try {
    const users = Array.from({ length: 50 }, (_, i) => platform.user({ name: `Bench User ${i}` }));
    const course = platform.course({ title: 'Bench cohort' });
    const first = await launchAs(tool, platform, { role: 'Learner', user: users[0], course, clientId: tool.clientId });
    if (!first.ok || !first.launch.idToken) throw new Error(`the warm-up launch failed (${first.status})`);
    const idToken = first.launch.idToken;

    // The ceiling: the same launches through a tool doing only what the protocol requires (minimal-lti-tool.ts).
    const minimal = await startMinimalLtiTool(`${dbBase}/bench_minimal`, platform);
    const floor = await startFloor(dbBase, platform.urls.jwks);
    const body = new URLSearchParams({ id_token: idToken, state: 'x'.repeat(50) }).toString();
    let launched = 0;
    const measured = await interleaved([
      {
        name: 'tool',
        workers: CONCURRENCY,
        once: async () => {
          const i = launched++;
          const s = await launchAs(tool, platform, { role: 'Learner', user: users[i % users.length], course, clientId: tool.clientId });
          if (!s.ok) throw new Error(`launch ${i} failed with ${s.status}`);
        },
      },
      {
        name: 'minimal',
        workers: CONCURRENCY,
        once: async () => {
          const i = launched++;
          const s = await launchAs(minimal, platform, { role: 'Learner', user: users[i % users.length], course, clientId: minimal.clientId });
          if (!s.ok) throw new Error(`minimal launch ${i} failed with ${s.status}`);
        },
      },
      {
        name: 'floor',
        workers: CONCURRENCY,
        once: async () => {
          const res = await fetch(`${floor.url}/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
          if (res.status !== 200) throw new Error(`floor answered ${res.status}`);
          await res.text();
        },
      },
    ]);
    await minimal.close();
    await floor.close();
    const { tool: launches, minimal: minimalLaunches, floor: verifies } = measured;

    // where a launch's time goes, one at a time: tool login, platform /auth, tool id_token POST -> landing page
    const steps = { login: 0, auth: 0, launch: 0 };
    const SERIAL = 20;
    for (let i = 0; i < SERIAL; i += 1) {
      const t0 = performance.now();
      const login = await startLogin(tool, platform, { role: 'Learner', user: users[i % users.length], course, clientId: tool.clientId });
      const t1 = performance.now();
      const auth = await login.authorize();
      const t2 = performance.now();
      const s = await auth.submit();
      if (!s.ok) throw new Error(`serial launch ${i} failed with ${s.status}`);
      steps.login += t1 - t0;
      steps.auth += t2 - t1;
      steps.launch += performance.now() - t2;
    }

    // The database calls of one whole launch (login, id_token POST, landing page), ours and ltijs's.
    const calls = await countOps(async () => {
      const s = await launchAs(tool, platform, { role: 'Learner', user: users[0], course, clientId: tool.clientId });
      if (!s.ok) throw new Error(`counted launch failed with ${s.status}`);
    });

    const ratio = launches.perSecond / verifies.perSecond;
    console.log(`id_token size: ${idToken.length} bytes; concurrency ${CONCURRENCY}; measured in alternating 250 ms slices`);
    console.log(`full launches (login -> auth -> launch -> landing page): ${launches.perSecond.toFixed(1)}/s (${launches.count})`);
    console.log(`floor (verify one RS256 id_token + one findOneAndUpdate):  ${verifies.perSecond.toFixed(1)}/s (${verifies.count})`);
    console.log(`ratio: ${ratio.toFixed(2)} (goal >= 0.5) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
    const ceiling = minimalLaunches.perSecond / verifies.perSecond;
    console.log(`ceiling, the protocol's minimum (bare Express: signed-cookie state, verify, one nonce insert, landing page): ${minimalLaunches.perSecond.toFixed(1)}/s (${minimalLaunches.count})`);
    console.log(`  its ratio to the floor: ${ceiling.toFixed(2)}: no tool can exceed this here; the full tool reaches ${(launches.perSecond / minimalLaunches.perSecond).toFixed(2)} of it`);
    const ofMinimal = launches.perSecond / minimalLaunches.perSecond;
    console.log(`database calls per launch: ${calls.ours + calls.ltijs} (${calls.ours} ours + ${calls.ltijs} ltijs)`);
    record({
      figure: 'launch: full launches/s over the protocol-minimum tool',
      goal: '>= 0.8',
      value: ofMinimal,
      met: ofMinimal >= 0.8,
      note: `${launches.perSecond.toFixed(0)} vs ${minimalLaunches.perSecond.toFixed(0)}/s; ${calls.ours + calls.ltijs} database calls per launch`,
    });
    const ms = (v: number) => `${(v / SERIAL).toFixed(1)} ms`;
    console.log(`one launch at a time: login ${ms(steps.login)}, platform auth ${ms(steps.auth)}, id_token POST -> landing page ${ms(steps.launch)}`);
  } finally {
    await tool.close();
    await platform.close();
    await engine.close();
  }
}

runIfMain(module, run);
