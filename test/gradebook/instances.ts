import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestTool } from '../support/tool';

export interface Instance {
  child: ChildProcess;
  owner: string;
  go(): void;
  done: Promise<{ total: Record<string, number>; owner: string }>;
  kill(): Promise<void>;
}

/** Starts test/gradebook/instance.ts in a child process on the tool's database and key; resolves when ready. */
export async function startInstance(tool: TestTool, env: Record<string, string> = {}): Promise<Instance> {
  const child = fork(path.join(__dirname, 'instance.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CMALT_DB_URI: tool.dbUri, CMALT_LTI_KEY: tool.config.ltiKey, CMALT_OUTBOUND_ORIGINS: tool.config.outbound.allowedOrigins.join(' '), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let resolveDone!: (v: { total: Record<string, number>; owner: string }) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<{ total: Record<string, number>; owner: string }>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => undefined);
  const owner = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; done?: boolean; owner?: string; total?: Record<string, number>; error?: string }) => {
      if (m.error) {
        reject(new Error(m.error));
        rejectDone(new Error(m.error));
      }
      if (m.ready) resolve(m.owner!);
      if (m.done) resolveDone({ total: m.total!, owner: m.owner! });
    });
    child.on('exit', (code) => {
      reject(new Error(`instance exited (${code}) before it was ready`));
      rejectDone(new Error(`instance exited (${code})`));
    });
  });
  return {
    child,
    owner,
    go: () => child.send({ go: true }),
    done,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
