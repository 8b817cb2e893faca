/** The gradebook capability: progress to the VLE through a durable outbox (AGS), and its pages. */
import type { Connection } from 'mongoose';
import mongoose from 'mongoose';
import { recordRosterLaunch } from '../roster';
import { recordGradebookLaunch } from './launch';
import { notifyWorkers } from './worker-signal';

export { gradebookRouter } from './routes';
export { createGradebookWorker, startGradebookWorker, type GradebookWorker, type GradebookWorkerOptions, type GradebookDeps, type DrainReport } from './worker';
export { notifyWorkers } from './worker-signal';

/** What the gradebook reads from lti's LaunchFacts / RecordedLaunch (structural, no import cycle). */
interface Facts {
  issuer: string;
  clientId: string;
  deploymentId: string;
  resourceLinkId?: string;
  ags?: { scope?: string[]; lineitems?: string; lineitem?: string };
  nrps?: { context_memberships_url?: string };
}

/** An afterLaunch hook: keep the course's AGS and NRPS endpoints from every validated launch. */
export function gradebookAfterLaunch(connection?: Connection) {
  return async (facts: Facts, recorded: { courseId: string }): Promise<void> => {
    const conn = connection ?? mongoose.connection;
    const newLine = await recordGradebookLaunch(conn, { ...facts, courseId: recorded.courseId });
    await recordRosterLaunch(conn, {
      courseId: recorded.courseId,
      issuer: facts.issuer,
      clientId: facts.clientId,
      membershipsUrl: facts.nrps?.context_memberships_url,
    });
    if (newLine) notifyWorkers({ courseId: recorded.courseId }); // the course's candidates can now be queued
  };
}
