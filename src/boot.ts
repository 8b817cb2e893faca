/**
 * The one place the tool is wired: services and the rules they teach each other, subscriptions, and every
 * background worker (email, and when asked the VLE worker: grade outbox and roster syncs). Building routers
 * (app.ts) has no side effects; close() stops, in order, everything this started and never starts anything.
 */
import type { Logger } from 'pino';
import { composeApp, type AppDeps, type ComposedApp } from './app';
import type { Config } from './config';
import { startExportWorker, type ExportWorker } from './export';
import { startGradebookWorker, type GradebookWorker, type GradebookWorkerOptions } from './gradebook';
import { listenForApprovedEdits, listenForReadySections, registerMentoringPolicy, sectionFeedbackFor } from './mentoring';
import { sharedEvidenceReadable } from './community';
import { startNotifier } from './notifications';
import { addEvidenceReadRule, setSectionFeedbackSource } from './portfolio';

export type { AppDeps };

export interface BootOptions {
  config: Config;
  log: Logger;
  dbUri: string;
  /** Start the VLE worker (grade outbox, roster syncs) too: the server does; tests drive their own. */
  gradebookWorker?: boolean | Partial<GradebookWorkerOptions>;
  /** Start the export worker (PDFs and website zips built in the background): the server does; tests drive their own. */
  exportWorker?: boolean;
}

export interface BootedTool extends ComposedApp {
  /** The VLE worker, when `gradebookWorker` asked for one. */
  gradebook?: GradebookWorker;
  exports?: ExportWorker;
}

/** Policies and subscriptions: what one capability teaches another, said here rather than inside a router. */
function wireRules(notifier: ReturnType<typeof startNotifier>): void {
  registerMentoringPolicy(); // mentors may read their candidates' portfolios and evidence
  setSectionFeedbackSource(sectionFeedbackFor); // the candidate's section page shows the newest review
  listenForReadySections(notifier.options); // a section marked ready tells its mentors at once
  listenForApprovedEdits(notifier.options); // an approved section edited goes back to its mentors
  addEvidenceReadRule(sharedEvidenceReadable); // evidence shared as a learning set resource: its course's members may read it
}

/** Wires the tool, starts its workers, composes the app. */
export async function createApp({ config, log, dbUri, gradebookWorker, exportWorker }: BootOptions): Promise<BootedTool> {
  const notifier = startNotifier(config, log);
  wireRules(notifier);
  const composed = await composeApp({ config, log, dbUri, notifier });
  const gradebook = gradebookWorker
    ? startGradebookWorker({ log, lti: composed.lti, options: typeof gradebookWorker === 'object' ? gradebookWorker : undefined })
    : undefined;
  const exports = exportWorker ? startExportWorker({ log }) : undefined;
  return {
    ...composed,
    gradebook,
    exports,
    close: async () => {
      await gradebook?.stop().catch((err: unknown) => log.error({ err }, 'stopping the gradebook worker failed')); // a post in flight records its outcome
      await exports?.stop().catch((err: unknown) => log.error({ err }, 'stopping the export worker failed')); // a build in flight finishes
      await notifier.worker.stop(); // an email being sent is finished, not cut off
      await composed.close();
    },
  };
}
