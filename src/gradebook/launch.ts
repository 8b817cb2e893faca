import type { Connection } from 'mongoose';
import { gradebookLineModel } from './line.model';

/** The parts of a validated launch the gradebook keeps (lti's LaunchFacts has these fields). */
export interface GradebookLaunch {
  courseId: string; // our Course _id
  issuer: string;
  clientId: string;
  deploymentId: string;
  resourceLinkId?: string;
  ags?: { lineitems?: string; lineitem?: string; scope?: string[] };
}

/**
 * Remembers the course's AGS endpoint from a launch. A line item named by the launch (deep linking
 * put it there) wins over one we found or created; without AGS there is nothing to post to.
 * Answers true when this course + link is new to the gradebook.
 */
export async function recordGradebookLaunch(conn: Connection, launch: GradebookLaunch): Promise<boolean> {
  const ags = launch.ags;
  if (!ags || (!ags.lineitems && !ags.lineitem) || !launch.resourceLinkId) return false;
  const Line = gradebookLineModel(conn);
  await Line.init(); // the unique index must exist before the first upsert, or two first launches both insert
  const key = { courseId: launch.courseId, resourceLinkId: launch.resourceLinkId };
  const always = {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    scopes: ags.scope ?? [],
    ...(ags.lineitems ? { lineItemsUrl: ags.lineitems } : {}),
  };
  const existing = await Line.findOne(key).lean();
  try {
    if (ags.lineitem && existing?.lineItemUrl !== ags.lineitem) {
      // A different item from the claim: forget the maximum we knew for the old one.
      await Line.updateOne(key, { $set: { ...always, lineItemUrl: ags.lineitem, source: 'claim' }, $unset: { scoreMaximum: 1 } }, { upsert: true });
    } else {
      await Line.updateOne(key, { $set: always, $setOnInsert: { source: 'pending' } }, { upsert: true });
    }
  } catch (e) {
    // Two first launches at once: the unique index let one insert, and the other carried the same facts.
    if ((e as { code?: number }).code !== 11000) throw e;
  }
  return !existing;
}
