/*
 * Portfolio benchmarks, each against a floor measured in the same run on the same database:
 *  1. Autosave: 50 concurrent candidates each PUT their section through the whole tool (ltijs session
 *     check, identity, CSRF, policy, conditional update, revision) vs bare Express doing one
 *     findOneAndUpdate with a version check. Goal: ratio >= 0.4 with p99 < 10x p50.
 *  2. Overview: GET /portfolio for a portfolio with 12 sections vs bare Express rendering the same EJS
 *     page from data already in memory (a static render of the same size). Goal: ratio >= 0.5.
 * `npm run bench -- portfolio` or `npx tsx bench/portfolio.ts`.
 */
import path from 'node:path';
import ejs from 'ejs';
import express from 'express';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../src/db/embedded';
import { roleLabel } from '../src/people/roles';
import { frameworks } from '../src/portfolio/framework';
import { Portfolio, Section, type PortfolioDoc } from '../src/portfolio/models';
import { loadOverview, loadPortfolio } from '../src/portfolio/portfolio.service';
import { overviewPresenter } from '../src/portfolio/presenter';
import { unreadCount } from '../src/notifications';
import { contentOf } from '../src/portfolio/section.service';
import { fullSummarySet } from '../src/portfolio/section-summary';
import { launchAs, type ToolSession } from '../test/support/launch';
import { interleaved } from './support/interleaved';
import { record } from './support/summary';
import { onLoopback } from './support/loopback';
import { BENCH_LTI_KEY, startBenchTool } from './support/tool';
import { startTestPlatform } from '../test/support/platform';
import { runIfMain } from './support/main';

const WRITERS = 50;
const VIEWS = path.resolve(__dirname, '..', 'views').replace(`${path.sep}dist${path.sep}views`, `${path.sep}views`);

/** ltijs keeps its own copy of mongoose (its session reads: id token, context token). */
const ltijsMongoose = require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

/** How many operations reach the database while `fn` runs: ours (identity layer, portfolio) and ltijs's own. */
async function countOps(fn: () => Promise<void>): Promise<{ ours: number; ltijs: number }> {
  const n = { ours: 0, ltijs: 0 };
  const hook = (who: 'ours' | 'ltijs') => (coll: string, method: string) => {
    n[who] += 1;
    if (process.env.BENCH_DUMP) console.log(`  op (${who}): ${coll}.${method}`);
  };
  mongoose.set('debug', hook('ours'));
  ltijsMongoose.set('debug', hook('ltijs'));
  try {
    await fn();
  } finally {
    mongoose.set('debug', false);
    ltijsMongoose.set('debug', false);
  }
  return n;
}
const opsText = (n: { ours: number; ltijs: number }) => `${n.ours + n.ltijs} (${n.ours} ours + ${n.ltijs} ltijs)`;

/** The same request a page's script sends: bearer ltik, CSRF header and the session's cookies. */
function scriptHeaders(s: ToolSession, url: string): Record<string, string> {
  const cookie = s.jar.header(new URL(url));
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${s.ltik}`,
    'x-csrf-token': s.csrfToken ?? '',
    ...(cookie ? { cookie } : {}),
  };
}

/** The locals the tool renders the overview with: same links (each carrying the session token), same navigation. */
function overviewLocals(s: ToolSession, overview: ReturnType<typeof overviewPresenter>) {
  const withLtik = (p: string) => `${p}?ltik=${encodeURIComponent(s.ltik!)}`;
  return {
    title: 'My portfolio',
    who: { name: 'Writer 0', role: 'candidate', courseTitle: 'Bench cohort', ltik: s.ltik, csrfToken: s.csrfToken },
    url: withLtik,
    roleLabel,
    nav: [
      { href: withLtik('/portfolio'), label: 'My portfolio', current: true },
      { href: withLtik('/portfolio/planning'), label: 'Planning', current: false },
      { href: withLtik('/portfolio/evidence'), label: 'Evidence', current: false },
      { href: withLtik('/mentoring/peer'), label: 'Co-mentoring and final review', current: false },
      { href: withLtik('/mentoring/notifications'), label: 'Notifications', current: false },
    ],
    overview,
  };
}

const paragraph = (i: number) => `<p>Paragraph ${i}: I planned, ran and evaluated a change to how staff use the VLE, and reflected on it.</p>`;

export async function run(): Promise<void> {
  const engine = await startEmbeddedServer({});
  const dbBase = engine.uri.split('?')[0].replace(/\/$/, '');
  const platform = await startTestPlatform();
  const tool = await startBenchTool(dbBase, 'bench_portfolio_tool', platform);
  const floorConn = await mongoose.createConnection(`${dbBase}/bench_portfolio_floor`).asPromise();
  try {
    // 50 candidates, each with a portfolio; each writer autosaves its own contextual statement.
    const course = platform.course({ title: 'Bench cohort' });
    const writers: Array<{ s: ToolSession; url: string; version: number }> = [];
    for (let i = 0; i < WRITERS; i++) {
      const s = await launchAs(tool, platform, { role: 'Learner', user: platform.user({ name: `Writer ${i}` }), course });
      if (!s.ok) throw new Error(`launch ${i} failed (${s.status})`);
      const started = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Bench specialism' });
      if (started.status !== 200) throw new Error(`start ${i} failed (${started.status})`);
      const portfolio = (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!;
      const section = (await Section.findOne({ portfolio: portfolio._id, areaId: 'contextual' }).lean())!;
      writers.push({ s, url: `${tool.baseUrl}/portfolio/sections/${section._id}`, version: 0 });
    }
    const text = Array.from({ length: 6 }, (_, i) => paragraph(i)).join('');
    const autosaveOnce = async (me: (typeof writers)[number]) => {
      const res = await fetch(me.url, { method: 'PUT', headers: scriptHeaders(me.s, me.url), body: JSON.stringify({ baseVersion: me.version, body: `${text}<p>${me.version}</p>` }) });
      me.version = ((await res.json()) as { version: number }).version;
    };
    await autosaveOnce(writers[0]); // the first save also moves the section to draft and opens a revision
    const opsPerAutosave = await countOps(() => autosaveOnce(writers[0])); // the usual one

    const opsOver20Autosaves = await countOps(async () => {
      for (let i = 0; i < 20; i++) await autosaveOnce(writers[i % WRITERS]);
    });
    // The floor: bare Express, one findOneAndUpdate with the same version check, same database server.
    const Doc = floorConn.model('FloorSection', new mongoose.Schema({ body: String, version: Number }));
    const docs = await Doc.insertMany(Array.from({ length: WRITERS }, () => ({ body: '', version: 0 })));
    const floorApp = express();
    floorApp.use(express.json({ limit: '1mb' }));
    floorApp.put('/sections/:id', async (req, res) => {
      const updated = await Doc.findOneAndUpdate(
        { _id: req.params.id, version: req.body.baseVersion },
        { $set: { body: req.body.body }, $inc: { version: 1 } },
        { new: true },
      ).lean();
      if (!updated) return void res.status(409).json({});
      res.json({ version: updated.version });
    });
    const floor = await onLoopback(floorApp);
    const floorVersions = docs.map(() => 0);
    const autosaves = await interleaved([
      {
        name: 'tool',
        workers: WRITERS,
        once: async (w) => {
          const me = writers[w];
          const res = await fetch(me.url, { method: 'PUT', headers: scriptHeaders(me.s, me.url), body: JSON.stringify({ baseVersion: me.version, body: `${text}<p>${me.version}</p>` }) });
          const json = (await res.json()) as { version?: number };
          if (res.status !== 200 || typeof json.version !== 'number') throw new Error(`autosave answered ${res.status}`);
          me.version = json.version;
        },
      },
      {
        name: 'floor',
        workers: WRITERS,
        once: async (w) => {
          const res = await fetch(`${floor.url}/sections/${docs[w]._id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ baseVersion: floorVersions[w], body: `${text}<p>${floorVersions[w]}</p>` }),
          });
          const json = (await res.json()) as { version?: number };
          if (res.status !== 200 || typeof json.version !== 'number') throw new Error(`floor answered ${res.status}`);
          floorVersions[w] = json.version;
        },
      },
    ]);
    const { tool: ours, floor: bare } = autosaves;
    await floor.close();

    // Overview: fill one portfolio's 12 sections, then read it through the tool vs a static render.
    const reader = writers[0];
    const portfolio = (await Portfolio.findOne({}).sort({ createdAt: 1 }).lean()) as unknown as PortfolioDoc;
    const loaded = await loadPortfolio(frameworks(), portfolio);
    // Written directly, with the overview's figures as the tool's own saves store them (section-summary.ts);
    // BENCH_OVERVIEW_LEGACY=1 leaves them out, as for sections saved before the figures existed.
    for (const section of loaded.sections) {
      const examples = [0, 1, 2].map((i) => ({ title: `Example ${i}`, tags: { role: 'LT', project: `P${i}`, year: '2025' }, description: text, reflection: text }));
      const current = (await Section.findById(section._id, { version: 1 }).lean())!;
      const figures = process.env.BENCH_OVERVIEW_LEGACY
        ? {}
        : fullSummarySet(contentOf({ body: text, examples } as unknown as Parameters<typeof contentOf>[0]), current.version + 1);
      await Section.updateOne(
        { _id: section._id, version: current.version },
        { $set: { body: text, state: 'draft', examples, ...figures }, $inc: { version: 1 } },
      );
    }
    // 50 comments across the sections (mentoring's Comment model, registered when its router loads).
    const CommentModel = mongoose.models.Comment;
    const comments = CommentModel ? 50 : 0;
    if (CommentModel) {
      const mentorId = new mongoose.Types.ObjectId().toHexString();
      await CommentModel.insertMany(
        Array.from({ length: comments }, (_, i) => ({
          section: loaded.sections[i % loaded.sections.length]._id,
          authorId: i % 3 === 0 ? portfolio.userId : mentorId,
          body: `<p>Comment ${i}: could you say more about how you evaluated this?</p>`,
        })),
      );
    }
    const overviewUrl = `${tool.baseUrl}/portfolio?ltik=${encodeURIComponent(reader.s.ltik!)}`;
    const check = await fetch(overviewUrl, { headers: { cookie: reader.s.jar.header(new URL(overviewUrl)) ?? '' } });
    const page = await check.text();
    if (check.status !== 200 || !page.includes('progress-heading')) throw new Error(`overview answered ${check.status}`);
    if (!process.env.BENCH_OVERVIEW_LEGACY) {
      const fromContent = await ejs.renderFile(path.join(VIEWS, 'portfolio/overview.ejs'), {
        ...overviewLocals(reader.s, overviewPresenter(await loadPortfolio(frameworks(), portfolio))),
      });
      const fromFigures = await ejs.renderFile(path.join(VIEWS, 'portfolio/overview.ejs'), {
        ...overviewLocals(reader.s, overviewPresenter(await loadOverview(frameworks(), portfolio))),
      });
      if (fromContent !== fromFigures) throw new Error('the overview from stored figures differs from the one counted from content');
    }
    const opsPerOverview = await countOps(async () => void (await (await fetch(overviewUrl, { headers: { cookie: reader.s.jar.header(new URL(overviewUrl)) ?? '' } })).text()));
    const opsOver20Overviews = await countOps(async () => {
      for (let i = 0; i < 20; i++) await (await fetch(overviewUrl, { headers: { cookie: reader.s.jar.header(new URL(overviewUrl)) ?? '' } })).text();
    });
    const full = await loadPortfolio(frameworks(), portfolio);
    // The same page the tool sends: same links (each carrying the session token), same navigation.
    const locals = overviewLocals(reader.s, overviewPresenter(full));
    const staticHtml = await ejs.renderFile(path.join(VIEWS, 'portfolio/overview.ejs'), locals);
    if (process.env.BENCH_DUMP) {
      require('node:fs').writeFileSync('/tmp/bench-ours.html', page);
      require('node:fs').writeFileSync('/tmp/bench-static.html', staticHtml);
    }
    const staticApp = express();
    staticApp.get('/overview', async (_req, res) => {
      res.type('html').send(await ejs.renderFile(path.join(VIEWS, 'portfolio/overview.ejs'), locals, { cache: true }));
    });
    const staticServer = await onLoopback(staticApp);
    // The ceiling: the least an authenticated overview costs. Bare Express verifying the session token, making the
    // page's two reads (loadOverview; the navigation's unread count), presenting and rendering the same page; no
    // ltijs, no headers, no log.
    const minimalApp = express();
    minimalApp.get('/overview', async (req, res) => {
      jwt.verify(String(req.query.ltik), BENCH_LTI_KEY, { algorithms: ['HS256'] });
      const [loaded] = await Promise.all([loadOverview(frameworks(), portfolio), unreadCount(String(portfolio.userId), String(portfolio.courseId))]);
      const html = await ejs.renderFile(path.join(VIEWS, 'portfolio/overview.ejs'), overviewLocals(reader.s, overviewPresenter(loaded)), { cache: true });
      res.type('html').send(html);
    });
    const minimalServer = await onLoopback(minimalApp);
    const pages = await interleaved([
      {
        name: 'tool',
        workers: 8,
        once: async () => {
          const res = await fetch(overviewUrl, { headers: { cookie: reader.s.jar.header(new URL(overviewUrl)) ?? '' } });
          if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
          await res.text();
        },
      },
      {
        name: 'static',
        workers: 8,
        once: async () => {
          const res = await fetch(`${staticServer.url}/overview`);
          await res.text();
        },
      },
      {
        name: 'minimal',
        workers: 8,
        once: async () => {
          const res = await fetch(`${minimalServer.url}/overview?ltik=${encodeURIComponent(reader.s.ltik!)}`);
          if (res.status !== 200) throw new Error(`minimal overview answered ${res.status}`);
          await res.text();
        },
      },
    ]);
    const { tool: pageOurs, static: pageStatic, minimal: pageMinimal } = pages;
    await staticServer.close();
    await minimalServer.close();

    const autosaveRatio = ours.perSecond / bare.perSecond;
    const tail = ours.p99 / ours.p50;
    const pageRatio = pageOurs.perSecond / pageStatic.perSecond;
    console.log(`${WRITERS} concurrent writers, body ${text.length} chars; each pair measured in alternating 250 ms slices`);
    console.log(`autosave through the tool: ${ours.perSecond.toFixed(1)}/s (${ours.count}); p50 ${ours.p50.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms`);
    console.log(`floor (bare Express + one findOneAndUpdate): ${bare.perSecond.toFixed(1)}/s (${bare.count}); p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms`);
    console.log(`database operations per request: autosave ${opsText(opsPerAutosave)}, overview ${opsText(opsPerOverview)}; the floor does 1 and the static page 0`);
    const perRequest = (n: { ours: number; ltijs: number }, count: number) => `${((n.ours + n.ltijs) / count).toFixed(2)} (${(n.ours / count).toFixed(2)} ours + ${(n.ltijs / count).toFixed(2)} ltijs)`;
    console.log(`  averaged over 20 more of each: autosave ${perRequest(opsOver20Autosaves, 20)}, overview ${perRequest(opsOver20Overviews, 20)}`);
    console.log(`autosave ratio: ${autosaveRatio.toFixed(2)} (goal >= 0.7) ${autosaveRatio >= 0.7 ? 'MET' : 'NOT MET'}; p99/p50 ${tail.toFixed(1)} (goal < 5) ${tail < 5 ? 'MET' : 'NOT MET'}`);
    console.log(`overview page (12 sections, 36 examples, ${comments} comments; ${page.length} bytes): ${pageOurs.perSecond.toFixed(1)}/s vs static EJS render (${staticHtml.length} bytes) ${pageStatic.perSecond.toFixed(1)}/s`);
    console.log(`overview ratio: ${pageRatio.toFixed(2)} (goal >= 0.5) ${pageRatio >= 0.5 ? 'MET' : 'NOT MET'}`);
    const ceiling = pageMinimal.perSecond / pageStatic.perSecond;
    console.log(`ceiling, the least an authenticated overview costs (bare Express: verify the token, the two reads, render): ${pageMinimal.perSecond.toFixed(1)}/s`);
    console.log(`  its ratio to the static render: ${ceiling.toFixed(2)}; the tool reaches ${(pageOurs.perSecond / pageMinimal.perSecond).toFixed(2)} of it`);
    const ofCeiling = pageOurs.perSecond / pageMinimal.perSecond;
    record({ figure: 'overview: pages/s over its ceiling (bare Express, same reads and render)', goal: '>= 0.9', value: ofCeiling, met: ofCeiling >= 0.9, note: `${pageOurs.perSecond.toFixed(0)} vs ${pageMinimal.perSecond.toFixed(0)}/s` });
    record({ figure: 'autosave: saves/s over one bare findOneAndUpdate', goal: '>= 0.7', value: autosaveRatio, met: autosaveRatio >= 0.7, note: `${ours.perSecond.toFixed(0)} vs ${bare.perSecond.toFixed(0)}/s` });
    record({ figure: 'autosave: p99 / p50', goal: '< 5', value: tail, text: tail.toFixed(1), met: tail < 5, note: `p50 ${ours.p50.toFixed(0)} ms, p99 ${ours.p99.toFixed(0)} ms` });
  } finally {
    await floorConn.close();
    await tool.close();
    await platform.close();
    await engine.close();
  }
}

runIfMain(module, run);
