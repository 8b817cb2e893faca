/**
 * The one place the tool is wired: services and the rules they teach each other, subscriptions, and every
 * background worker (email, and when asked the VLE worker: grade outbox and roster syncs). Building routers
 * (app.ts) has no side effects; close() stops, in order, everything this started and never starts anything.
 */
import type { Logger } from 'pino';
import { composeApp, type AppDeps, type ComposedApp } from './app';
import type { Config } from './config';
import { loadMandatoryTraining, profileFor, REVIEW_DOCUMENT, reviewDocumentSource, startReminderWorker } from './cpd';
import { registerDocumentSource, startExportWorker, type ExportWorker } from './export';
import { startGradebookWorker, type GradebookWorker, type GradebookWorkerOptions } from './gradebook';
import { sectionSharedWithSet, setSchemeMeetingSource, sharedEvidenceReadable } from './community';
import { addSectionShareRule, listenForApprovedEdits, listenForReadySections, registerMentoringPolicy, sectionFeedbackFor, startReadyCatchUp } from './mentoring';
import { startNotifier } from './notifications';
import { addEvidenceReadRule, setPlaceGate, setProfileCvSource, setSectionFeedbackSource, setWriteLock } from './portfolio';
import { meetingsForCalendar, schemePlaceGate, schemeWriteLock, startRetentionJob, startSchemeMailer } from './scheme';

export type { AppDeps };

export interface BootOptions {
  config: Config;
  log: Logger;
  dbUri: string;
  /** Start the VLE worker (grade outbox, roster syncs) too: the server does; tests drive their own. */
  gradebookWorker?: boolean | Partial<GradebookWorkerOptions>;
  /** The tool's clock (the CPD record's periods, training and reminders; a cookieless session's 2 hours); tests move it instead of sleeping. */
  clock?: () => Date;
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
  setProfileCvSource(profileFor); // planning shows the CV kept in the CPD record's profile instead of asking again
  listenForApprovedEdits(notifier.options); // an approved section edited goes back to its mentors
  setPlaceGate(schemePlaceGate); // in a course running the scheme, a portfolio opens with a place in the set
  setWriteLock(schemeWriteLock); // a withdrawn candidate's portfolio is read-only until its retention period ends
  addEvidenceReadRule(sharedEvidenceReadable); // evidence shared as a learning set resource: its course's members may read it
  registerDocumentSource(REVIEW_DOCUMENT, reviewDocumentSource); // export renders the CPD record's CMALT review without importing cpd
  addSectionShareRule(sectionSharedWithSet); // a section shared with the whole learning set: its members read and comment
  setSchemeMeetingSource(schemeMeetingsForSet); // the scheme's meetings appear in the set's calendar; community never imports the scheme
}

/** The scheme's meetings as the set's calendar shows them: cancelled ones left out, the place or the link as where. */
async function schemeMeetingsForSet(courseId: string, from: Date, to: Date) {
  const meetings = await meetingsForCalendar(courseId, from, to);
  return meetings
    .filter((m) => !m.cancelled)
    .map((m) => ({ id: m.id, title: m.title, startsAt: m.startsAt, endsAt: m.endsAt, location: m.place || m.onlineUrl || undefined }));
}

/** Wires the tool, starts its workers, composes the app. */
export async function createApp({ config, log, dbUri, gradebookWorker, exportWorker, clock = () => new Date() }: BootOptions): Promise<BootedTool> {
  const training = loadMandatoryTraining(config.mandatoryTrainingFile); // a file with problems stops start-up, before anything runs
  const notifier = startNotifier(config, log);
  const schemeMail = startSchemeMailer(config, log);
  wireRules(notifier);
  const composed = await composeApp({ config, log, dbUri, notifier, training, clock });
  const retention = startRetentionJob(log, clock); // withdrawn portfolios past the retention period are deleted
  const cpdReminders = startReminderWorker({ months: config.cpdPeriodMonths, notify: notifier.options, clock, log });
  const gradebook = gradebookWorker
    ? startGradebookWorker({ log, lti: composed.lti, options: typeof gradebookWorker === 'object' ? gradebookWorker : undefined })
    : undefined;
  const exports = exportWorker ? startExportWorker({ log }) : undefined;
  // A ready section whose note was lost is noted here, in the background, not on the mentor's dashboard GET.
  const stopReadyCatchUp = startReadyCatchUp(notifier.options, (err) => log.error({ err }, 'the ready-for-review catch-up failed'));
  return {
    ...composed,
    gradebook,
    exports,
    close: async () => {
      await gradebook?.stop().catch((err: unknown) => log.error({ err }, 'stopping the gradebook worker failed')); // a post in flight records its outcome
      await cpdReminders.stop(); // a sweep in progress finishes (its notifications are keyed, so none is lost or repeated)
      await exports?.stop().catch((err: unknown) => log.error({ err }, 'stopping the export worker failed')); // a build in flight finishes
      await stopReadyCatchUp();
      await notifier.worker.stop(); // an email being sent is finished, not cut off
      await schemeMail.stop();
      await retention.stop(); // a deletion in progress finishes
      await composed.close();
    },
  };
}
