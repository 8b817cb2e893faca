import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from './platform';
import type { StartTestToolOptions, TestTool } from './tool';

export interface ToolSuiteOptions {
  /** For startTestPlatform (e.g. `{ nrpsPageSize: 10 }`, `{ productFamilyCode: 'moodle' }`). */
  platform?: TestPlatformOptions;
  /** For startTestTool, which gets the suite's platform unless `register` is false. */
  tool?: Omit<StartTestToolOptions, 'platform'>;
  /** false: the tool starts knowing no VLE (for a platform that registers itself, dynamically). Default true. */
  register?: boolean;
  /** A second VLE registered with the same tool (`otherVle`), for URL guessing from another institution. */
  secondVle?: boolean;
}

export interface ToolSuite {
  readonly platform: TestPlatform;
  readonly tool: TestTool;
  /** With `secondVle`: another VLE, registered with the tool after the suite's own. */
  readonly otherVle: TestPlatform;
}

/** A suite's value, or a clear error when it is read before its hooks ran (at file load, or outside the describe). */
export function required<T>(suite: string, name: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`${suite}: no ${name} yet (read it in a hook or test, not when the file loads)`);
  return value;
}

/**
 * toolSuite without the jest hooks: `start` starts the platform and then the tool, `close` closes the tool and
 * then the platform. For a suite that runs them inside hooks of its own (browserSuite); `suiteName` goes into
 * the getters' errors.
 */
export function toolSuiteParts(suiteName: string, opts: ToolSuiteOptions = {}): { suite: ToolSuite; start(): Promise<void>; close(): Promise<void> } {
  let platform: TestPlatform | undefined;
  let tool: TestTool | undefined;
  let otherVle: TestPlatform | undefined;
  return {
    suite: {
      get platform() { return required(suiteName, 'platform', platform); },
      get tool() { return required(suiteName, 'tool', tool); },
      get otherVle() { return required(suiteName, 'otherVle (ask for secondVle)', otherVle); },
    },
    start: async () => {
      platform = await startTestPlatform(opts.platform);
      if (opts.secondVle) otherVle = await startTestPlatform();
      // Loaded here, not at the top, so that files using only openBrowser (test/platform) do not load the app.
      const { registerPlatform, startTestTool } = await import('./tool');
      // the suite's VLE is allow-listed by its exact origin even when it registers itself (register: false)
      const allowOrigins = [...(opts.tool?.allowOrigins ?? []), platform.baseUrl, ...(otherVle ? [otherVle.baseUrl] : [])];
      tool = await startTestTool(opts.register === false ? { ...opts.tool, allowOrigins } : { ...opts.tool, allowOrigins, platform });
      if (otherVle) await registerPlatform(tool, otherVle);
    },
    close: async () => {
      await tool?.close();
      await platform?.close();
      await otherVle?.close();
    },
  };
}

/**
 * The set-up most HTTP-level test files repeated: registers the jest hooks that start a test platform and the
 * tool registered with it (beforeAll), and close the tool and then the platform (afterAll). Call it at the top
 * of a file or inside a describe; read its getters in hooks and tests.
 */
export function toolSuite(opts: ToolSuiteOptions = {}): ToolSuite {
  const parts = toolSuiteParts('toolSuite', opts);
  beforeAll(parts.start);
  afterAll(parts.close);
  return parts.suite;
}
