import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../src/boot';
import { loadConfig } from '../../src/config';
import { Deployment } from '../../src/lti/deployment.model';
import { quietLogger } from '../../src/log';
import { startEmbeddedServer } from '../../src/db/embedded';
import { startTestPlatform, type TestPlatform } from '../../test/support/platform';
import { onLoopback } from './loopback';

/** The tool's ltijs key in benchmarks (a baseline may verify the tool's session token with it). */
export const BENCH_LTI_KEY = 'bench-lti-key-0123456789';

/** The real tool on a free port, registered with the test VLE (active platform and deployment), for benchmarks. */
export async function startBenchTool(dbBase: string, dbName: string, platform: TestPlatform) {
  const bare = await onLoopback();
  const baseUrl = bare.url;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cmalt-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: baseUrl, DATA_DIR: dataDir, LTI_KEY: BENCH_LTI_KEY, LOG_LEVEL: 'silent', PRACTICE_VLE: 'off', OUTBOUND_LOOPBACK: 'true' }); // the bench VLE is on loopback
  const dbUri = `${dbBase}/${dbName}`;
  await mongoose.connect(dbUri);
  const tool = await createApp({ config, log: quietLogger(), dbUri });
  bare.server.on('request', tool.app);
  const client = platform.addClient({
    jwksUrl: `${baseUrl}/lti/keys`,
    loginUrl: `${baseUrl}/lti/login`,
    targetLinkUri: `${baseUrl}/lti/launch`,
    deploymentIds: ['dep-1'],
  });
  const d = platform.registrationDetailsForTool(client.clientId);
  const registered = await tool.lti.registerPlatform({
    url: d.issuer,
    name: 'Bench VLE',
    clientId: d.clientId,
    authenticationEndpoint: d.authorizationEndpoint,
    accesstokenEndpoint: d.tokenEndpoint,
    authConfig: { method: 'JWK_SET', key: d.jwksUrl },
  });
  await registered.platformActive(true);
  await Deployment.create({ platformUrl: d.issuer, clientId: d.clientId, deploymentId: d.deploymentId, active: true });
  return {
    baseUrl,
    /** The test VLE's client id for this tool: launches name it, as another tool may be registered too. */
    clientId: client.clientId,
    close: async () => {
      await bare.close();
      await tool.close();
      await mongoose.disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The set-up a page benchmark needs, and its tidying: the embedded engine (or MONGODB_URI), the test VLE, and the
 * real tool registered with it on a fresh database named `dbName`; all closed when `fn` ends, however it ends.
 */
export async function withBenchTool(dbName: string, fn: (ctx: { tool: Awaited<ReturnType<typeof startBenchTool>>; platform: TestPlatform; engine: boolean }) => Promise<void>): Promise<void> {
  const engine = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ log: { warn: () => undefined, info: () => undefined } });
  const dbBase = (process.env.MONGODB_URI ?? engine!.uri).split('?')[0].replace(/\/$/, '');
  const platform = await startTestPlatform();
  const tool = await startBenchTool(dbBase, dbName, platform);
  try {
    await fn({ tool, platform, engine: Boolean(engine) });
  } finally {
    await tool.close();
    await platform.close();
    await engine?.close();
  }
}
