import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type CookieOptions, type RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { adminRouter, dynamicRegistrationHandler, installerHandoverUrl, registrationRateLimit } from './admin';
import { cohortRouter } from './cohort';
import { communityRouter } from './community';
import { refereeLinkRouter, refereesRouter } from './referees';
import type { Config } from './config';
import { cpdReviewerRouter, cpdRouter, type MandatoryTraining } from './cpd';
import { databaseRefusingWrites } from './db';
import { gradebookAfterLaunch, gradebookRouter } from './gradebook';
import { requireCsrf } from './http/csrf';
import { errorHandler, notFoundHandler, sendError } from './http/error-handler';
import { assessorRouter, exportRouter } from './export';
import { hostedVleOrigins } from './http/frame-origins';
import { requestLogger } from './http/request-log';
import { noStore } from './http/no-store';
import { plainSecurityHeaders, platformOrigins, securityHeaders, securityHeadersAgain, type PlatformOrigins } from './http/security';
import { largeBodiesAfterSession } from './http/session-first';
import {
  cacheLtijsReads,
  cookielessSession,
  deepLinkingHandler,
  deepLinkingRoutes,
  ID_TOKEN_MAX_AGE_S,
  identity,
  installerEntry,
  landOnRolePage,
  launchCheck,
  launchWithoutCookie,
  loginCapture,
  PASS_ROUTE,
  plainLoginParams,
  newProvider,
  newWindowInsteadOfLaunch,
  partitionedCookies,
  recordValidLaunch,
  REFUSALS,
  refusalError,
  refusalForLtijsError,
  rememberLogin,
  rolesPageRouter,
  sessionMaxAge,
  sessionPassRoute,
  startLoginInNewWindow,
  useKeyObjectForSecret,
  whenCourseFactsChange,
  type AfterLaunch,
  type LtiProvider,
} from './lti';
import { mentoringRouter } from './mentoring';
import { courseLinkAfterLaunch, unreadForPages, type Notifier } from './notifications';
import { roleLabel } from './people/roles';
import { portfolioBodies, portfolioRouter, textTooLong, writeLockGuard } from './portfolio';
import { calendarFeedRouter, reportLinkRouter, schemeRouter, supportLinkRouter } from './scheme';
import { createPracticeVle, PRACTICE_PATH, practiceCourseSetUp, registerPracticeVle, removePracticeVle, type PracticeVle } from './practice';
import { setOutboundPolicy } from './vle/guarded-fetch';

/** What every capability's router is given. */
export interface AppDeps {
  config: Config;
  log: Logger;
  lti: LtiProvider;
  /** Call after adding, activating or removing a platform, so the CSP lets it frame the tool at once. */
  platformOrigins: PlatformOrigins;
  /** The email worker and its settings (boot.ts starts and stops it). */
  notifier: Notifier;
}

export interface ComposedApp {
  app: express.Express;
  lti: LtiProvider;
  deps: AppDeps;
  /** The built-in practice VLE, when config.practiceVle (never in production). */
  practice?: PracticeVle;
  /** Closes ltijs; starts and stops nothing else (boot.ts owns the workers). */
  close(): Promise<void>;
}

/** The project root (holds views/ and public/), from src/ when run by ts tools or dist/src/ when built. */
const ROOT = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((dir) => existsSync(path.join(dir, 'views')))!;

/** ltijs's cookies (login state, session) must reach us from inside the VLE's iframe. */
const LAUNCH_COOKIES: CookieOptions = { secure: true, sameSite: 'none', httpOnly: true, signed: true, partitioned: true };

/** The active platforms' issuer and login origins, their institutions' hosts (frame-origins.ts), and FRAME_ANCESTORS. */
async function registeredOrigins(lti: LtiProvider, configured: string[]): Promise<string[]> {
  const origins: string[] = [...configured];
  for (const platform of await lti.getAllPlatforms()) {
    if (!(await platform.platformActive())) continue; // a registration waiting for the installer frames nothing yet
    for (const url of [await platform.platformUrl(), await platform.platformAuthEndpoint()]) {
      try {
        const origin = new URL(url).origin;
        origins.push(origin, ...hostedVleOrigins(origin));
      } catch {
        // a platform registered with a malformed URL cannot frame us anyway
      }
    }
  }
  return origins;
}

/**
 * Sets up ltijs on `dbUri` and composes the one Express app: our middleware, ltijs's routes, our routers.
 * Building it starts no worker and subscribes to nothing; boot.ts does that.
 */
export async function composeApp({ config, log, dbUri, notifier, training, clock }: { config: Config; log: Logger; dbUri: string; notifier: Notifier; training: MandatoryTraining; clock: () => Date }): Promise<ComposedApp> {
  setOutboundPolicy(config.outbound); // every VLE- or visitor-supplied URL is called through src/vle/guarded-fetch.ts
  const lti = newProvider();
  useKeyObjectForSecret(config.ltiKey); // perf: ltijs's ltik sign/verify with a KeyObject (lti/ltijs/jsonwebtoken-key.ts)
  // perf: mongoose otherwise records a stack trace on every query, only to explain a query run twice (a bug we do not have)
  mongoose.set('skipOriginalStackTraces', true);
  const origins = platformOrigins(() => registeredOrigins(lti, config.frameAncestors));
  const deps: AppDeps = { config, log, lti, platformOrigins: origins, notifier };
  const security = securityHeaders(origins, { https: config.publicUrl.startsWith('https:') });
  const afterLaunch: AfterLaunch[] = [
    async (facts) => {
      if (!origins.current().includes(new URL(facts.issuer).origin)) await origins.refresh();
    },
    whenCourseFactsChange(gradebookAfterLaunch()), // keeps the course's AGS line item and NRPS roster endpoints
    whenCourseFactsChange(courseLinkAfterLaunch()), // keeps the course's return URL, so emails link back through the VLE
  ];
  // The practice VLE is built before ltijs so that its sample course's set-up runs after each of its launches.
  const practice = config.practiceVle ? createPracticeVle({ ...config, afterLaunch, log }) : undefined;
  if (practice) afterLaunch.push(whenCourseFactsChange(practiceCourseSetUp(practice.vle.issuer)));
  const launchDeps = {
    ltiKey: config.ltiKey,
    log,
    afterLaunch,
    installerLanding: (who: { issuer: string; sub: string; clientId: string; name: string }) => installerHandoverUrl(config, who),
  };

  lti.setup(
    config.ltiKey,
    { url: dbUri },
    {
      appRoute: '/lti/launch',
      loginRoute: '/lti/login',
      keysetRoute: '/lti/keys',
      dynRegRoute: '/lti/register',
      cookies: { secure: true, sameSite: 'None' },
      cors: false, // ltijs would otherwise reflect any origin with credentials
      tokenMaxAge: ID_TOKEN_MAX_AGE_S,
      // ltijs only calls onDynamicRegistration when dynReg is configured; our handler does the registering
      dynReg: { url: config.publicUrl, name: 'CMALT Portfolio', autoActivate: config.ltiAutoActivate, useDeepLinking: true },
      serverAddon: (ltiApp: express.Express) => {
        ltiApp.use(securityHeadersAgain(security)); // ours again, over the defaults ltijs's own helmet set
        ltiApp.use(noStore(['/lti/keys'])); // launched pages, launches and logins: never cached
        ltiApp.use('/lti/register', registrationRateLimit({ config, log })); // per client address, every instance counting
        ltiApp.use(partitionedCookies);
        ltiApp.use(sessionMaxAge(config.ltiKey, config.sessionMaxAgeMs));
        ltiApp.use(cookielessSession(config.ltiKey, clock)); // cookies: a platform-storage launch's ltik stands without ltijs's cookie, for 2 hours
        ltiApp.post(PASS_ROUTE, sessionPassRoute(config.ltiKey, clock)); // cookies: a cookieless page, again, in the tab that launched it
        ltiApp.get('/lti/new-window/:ticket', startLoginInNewWindow('/lti/login')); // cookies: the login again, top-level
        ltiApp.all('/lti/login', plainLoginParams(), rememberLogin(), loginCapture()); // cookies: rememberLogin must run inside loginCapture
        ltiApp.post(
          '/lti/launch',
          launchWithoutCookie({ lti, publicUrl: config.publicUrl }), // cookies: platform storage, or the new-window page
          launchCheck({ lti, cookieOptions: LAUNCH_COOKIES }),
          newWindowInsteadOfLaunch({ lti }), // cookies: a checked launch without its cookie never becomes a session
          recordValidLaunch(launchDeps),
        );
      },
    },
  );
  lti.Database = cacheLtijsReads(lti.Database); // perf: ltijs's per-request token and platform reads, kept briefly
  const sigintBefore = new Set(process.listeners('SIGINT'));
  await lti.deploy({ serverless: true, silent: true });
  // ltijs installs a SIGINT handler that exits at once; server.ts drains requests first
  for (const listener of process.listeners('SIGINT')) if (!sigintBefore.has(listener)) process.off('SIGINT', listener);

  // The practice VLE registers itself on every start; production (or PRACTICE_VLE=off) removes any a development run left.
  if (practice) await registerPracticeVle(lti, practice.vle);
  else await removePracticeVle(lti, config.dataDir);
  // its sample course comes with sample portfolios (first start and after a reset); a failure only leaves it emptier
  if (practice) await practice.seed().catch((err: unknown) => log.error({ err }, 'practice course: sample portfolios not written'));

  lti.onConnect(landOnRolePage(launchDeps));
  lti.onDeepLinking(deepLinkingHandler(deps));
  lti.onDynamicRegistration(dynamicRegistrationHandler(deps));
  lti.onInvalidToken((req, _res, next) => {
    const code = (_res.locals.err as { details?: { message?: string } } | undefined)?.details?.message;
    const launching = typeof (req.body as { id_token?: unknown } | undefined)?.id_token === 'string';
    const refusal = !launching && (code === 'invalid signature' || code === 'jwt expired') ? REFUSALS.sessionInvalid : refusalForLtijsError(code);
    next(refusalError(refusal));
  });
  lti.onSessionTimeout((_req, _res, next) => next(refusalError(REFUSALS.sessionCookieMissing)));
  lti.onUnregisteredPlatform((req, res) => sendError(req, res, refusalError(REFUSALS.unknownPlatform), log));
  lti.onInactivePlatform((req, res) => sendError(req, res, refusalError(REFUSALS.platformInactive), log));

  // Behind ltijs's launch check: who is asking, then CSRF on every state-changing request.
  const launched: RequestHandler[] = [identity(config.ltiKey, lti), requireCsrf(config.ltiKey), unreadForPages()];
  lti.app.use('/deep-linking', deepLinkingRoutes(deps));
  lti.app.use('/portfolio', ...launched, portfolioRouter(deps));
  lti.app.use('/mentoring', ...launched, writeLockGuard(), mentoringRouter(deps)); // a withdrawn candidate cannot comment, share or ask for final review
  lti.app.use('/cohort', ...launched, cohortRouter(deps));
  lti.app.use('/scheme', ...launched, schemeRouter({ ...deps, clock }));
  lti.app.use('/community', ...launched, communityRouter({ notify: notifier.options, clock }));
  lti.app.use('/export', ...launched, exportRouter({ publicUrl: config.publicUrl, now: clock })); // the tool's clock: ALT dates and the CPD review agree on today
  lti.app.use('/lti/roles', ...launched, rolesPageRouter());
  lti.app.use('/gradebook', ...launched, gradebookRouter(deps));
  const cpdDeps = { config, training, clock };
  lti.app.use('/cpd', ...launched, cpdRouter(cpdDeps));
  // The roster lives with the gradebook (it feeds it); people look for it at /roster.
  lti.app.get('/roster', ...launched, ((_req, res) => res.redirect(303, res.locals.url ? res.locals.url('/gradebook/roster') : '/gradebook/roster')) as RequestHandler);
  lti.app.use('/referees', ...launched, writeLockGuard(), refereesRouter(deps));
  lti.app.use('/lti/installer', ...launched, installerEntry(launchDeps));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  app.set('view cache', config.env !== 'development'); // compiled templates; development re-reads them
  const shared = { roleLabel };
  Object.assign(app.locals, shared);
  Object.assign(lti.app.locals, shared); // ltijs's app renders its own responses (refusals)
  lti.app.set('trust proxy', config.trustProxy);

  app.use(requestLogger(log));
  // Health checks, static files and the favicon are never framed and carry no list of VLEs (frame-ancestors would
  // tell any anonymous visitor which institutions use the tool): a fixed, closed policy instead of `security`.
  app.use(['/healthz', '/readyz', '/public', '/favicon.ico'], plainSecurityHeaders({ https: config.publicUrl.startsWith('https:') }));
  app.use('/public', express.static(path.join(ROOT, 'public'), { index: false, maxAge: config.env === 'production' ? '1h' : 0 }));
  app.get('/favicon.ico', (_req, res) => void res.status(204).end()); // browsers ask on every page; no session needed
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    if (databaseRefusingWrites()) {
      res.status(503).json({ status: 'unavailable', message: 'The database cannot save changes (its disk is full or failing).' });
      return;
    }
    try {
      const db = mongoose.connection.db;
      if (mongoose.connection.readyState !== 1 || !db) throw new Error('not connected');
      await Promise.race([db.admin().ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), 2000).unref())]);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', message: 'The database is not answering.' });
    }
  });
  app.use(security);
  if (practice) {
    // outside production only: the built-in practice VLE, and the root page offers it to a newcomer
    // Launches, cookies and frames are bound to PUBLIC_URL's host: a newcomer who typed 127.0.0.1 for localhost is sent there
    // first, instead of meeting an empty frame.
    const publicHost = new URL(config.publicUrl).host;
    const onPublicHost: RequestHandler = (req, res, next) => {
      if (req.method === 'GET' && req.headers.host && req.headers.host !== publicHost) return res.redirect(303, `${config.publicUrl}${req.originalUrl}`);
      next();
    };
    app.use(PRACTICE_PATH, onPublicHost, ...practice.routes);
    app.get('/', onPublicHost, (_req, res) => res.redirect(303, `${PRACTICE_PATH}/`));
  } else {
    app.use(PRACTICE_PATH, notFoundHandler()); // off, and always in production: every practice address is a plain 404
  }
  app.use('/admin', adminRouter(deps)); // authenticates itself (ADMIN_TOKEN or an installer's launch ticket)
  app.use('/scheme-support', supportLinkRouter()); // line managers: a signed single-use link, no VLE session
  app.use('/scheme-report', reportLinkRouter({ config, clock })); // a coordinator's manager: a signed, revocable link to the reports, no VLE account
  app.use('/scheme-calendar', calendarFeedRouter(config)); // calendar programs: the secret address is the key, no session
  app.use('/cpd-review', cpdReviewerRouter(cpdDeps)); // a line manager's signed link: no VLE account, so outside the launch check
  app.use('/referee', refereeLinkRouter(deps)); // no launch: the signed, expiring link is the key
  // before ltijs's 100 kB parsers, so a long section is not refused; only for a request with a live session token
  app.use('/assessor', assessorRouter({ config })); // ALT's assessors: a token, no VLE launch, no cookie
  app.use('/portfolio', largeBodiesAfterSession(config.ltiKey, config.sessionMaxAgeMs, portfolioBodies()));
  app.use(lti.app);
  app.use(textTooLong); // over a body limit: "that text is too long", not "that file is too large"
  app.use(notFoundHandler());
  app.use(errorHandler(log));

  await origins.refresh();
  return {
    app,
    lti,
    deps,
    practice: practice?.vle,
    close: async () => {
      await lti.close({ silent: true });
    },
  };
}
