import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type express from 'express';
import type { Logger } from 'pino';
import mongoose from 'mongoose';
import { createApp, type AppDeps } from '../../src/boot';
import { loadConfig, type Config } from '../../src/config';
import { Deployment } from '../../src/lti/deployment.model';
import type { LtiProvider } from '../../src/lti/ltijs/provider';
import { quietLogger } from '../../src/log';
import { freshDatabaseUri } from './db';
import { inRequest } from './ops';
import type { TestPlatform } from './platform';
import type { PracticeVle } from '../../src/practice';

export interface TestTool {
  baseUrl: string;
  app: express.Express;
  lti: LtiProvider;
  config: Config;
  deps: AppDeps;
  dbUri: string;
  dataDir: string;
  /** The client id the test platform gave this tool (when a platform was registered). */
  clientId?: string;
  deploymentId?: string;
  /** The built-in practice VLE, when the test turned it on (env PRACTICE_VLE: 'on'). */
  practice?: PracticeVle;
  close(): Promise<void>;
}

export interface StartTestToolOptions {
  /** Registered by hand (platform + deployment, both active), as an installer would. */
  platform?: TestPlatform;
  /** Extra environment for loadConfig (e.g. SESSION_MAX_AGE_HOURS, LTI_AUTO_ACTIVATE). */
  env?: Record<string, string>;
  /** Host the tool is reached on (default 127.0.0.1, the platform's host: same-site in a browser). */
  host?: string;
  /** A logger of the test's (default: silent unless LOG_LEVEL is set). */
  log?: Logger;
  /** The tool's clock (CPD record, cookieless session length), so a test moves time without sleeping. */
  clock?: () => Date;
  /**
   * Loopback origins the tool may call (OUTBOUND_ALLOWED_ORIGINS): the test VLE runs on loopback, which the tool
   * refuses outside development, so each test VLE is allow-listed by its exact origin. `platform`'s is added.
   */
  allowOrigins?: string[];
  /** Start on an earlier tool's DATA_DIR and database (kept on close), as a restart on the same machine would. */
  reuse?: { dataDir: string; dbUri: string };
  /** A fixed port (default: a free one), so a restart keeps the same PUBLIC_URL, as on a real machine. */
  port?: number;
}

/**
 * Starts the real app on a free loopback port against a fresh database. ltijs keeps its data on its own
 * mongoose's default connection, so one tool at a time per test file: close it before starting another.
 */
export async function startTestTool(options: StartTestToolOptions = {}): Promise<TestTool> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'cmalt-tool-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: baseUrl,
    PORT: String(port),
    DATA_DIR: dataDir,
    LTI_KEY: `test-lti-key-${port}-${Date.now()}`,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PRACTICE_VLE: 'off', // the practice VLE's own tests turn it on (env)
    OUTBOUND_ALLOWED_ORIGINS: [...(options.allowOrigins ?? []), ...(options.platform ? [options.platform.baseUrl] : [])].join(' '),
    ...options.env,
  });
  const dbUri = options.reuse?.dbUri ?? freshDatabaseUri('tool');
  await mongoose.connect(dbUri);
  const created = await createApp({ config, log: options.log ?? quietLogger(), dbUri, clock: options.clock });
  server.on('request', (req, res) => inRequest(() => created.app(req, res))); // so counting tells requests from background work (ops.ts)

  const tool: TestTool = {
    baseUrl,
    app: created.app,
    lti: created.lti,
    config,
    deps: created.deps,
    dbUri,
    dataDir,
    practice: created.practice,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await created.close();
      await mongoose.disconnect();
      if (!options.reuse) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.platform) await registerPlatform(tool, options.platform);
  return tool;
}

/** What an installer does by hand: tell the platform about the tool, and the tool about the platform. */
export async function registerPlatform(tool: TestTool, platform: TestPlatform): Promise<{ clientId: string; deploymentId: string }> {
  const client = platform.addClient({
    jwksUrl: `${tool.baseUrl}/lti/keys`,
    loginUrl: `${tool.baseUrl}/lti/login`,
    targetLinkUri: `${tool.baseUrl}/lti/launch`,
    deploymentIds: ['dep-1'],
  });
  const details = platform.registrationDetailsForTool(client.clientId);
  const registered = await tool.lti.registerPlatform({
    url: details.issuer,
    name: 'CMALT Test VLE',
    clientId: details.clientId,
    authenticationEndpoint: details.authorizationEndpoint,
    accesstokenEndpoint: details.tokenEndpoint,
    authConfig: { method: 'JWK_SET', key: details.jwksUrl },
  });
  await registered.platformActive(true);
  await Deployment.create({ platformUrl: details.issuer, clientId: details.clientId, deploymentId: details.deploymentId, active: true, label: 'Test' });
  await tool.deps.platformOrigins.refresh();
  tool.clientId = details.clientId;
  tool.deploymentId = details.deploymentId;
  return { clientId: details.clientId, deploymentId: details.deploymentId };
}
