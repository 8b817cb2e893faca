import { Types } from 'mongoose';
import { Section, SectionDoc, SectionRevision, SectionRevisionDoc } from './models';

/** Saves by the same person within this window share one revision, so history is readable, not keystrokes. */
export const COALESCE_MS = 5 * 60 * 1000;

/**
 * Records the section as it now is. The section remembers its open revision (who, since when), so the
 * usual autosave costs one update here, not a search through history.
 */
export async function recordRevision(
  section: SectionDoc,
  byUser: string,
  options: { forceNew?: boolean; restoredFrom?: number; now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const snapshot = { body: section.body, examples: section.examples };
  const open = section.openRevision;
  const coalesce =
    !options.forceNew &&
    open?.id &&
    open.byUser === byUser &&
    open.startedAt &&
    now.getTime() - new Date(open.startedAt).getTime() < COALESCE_MS;
  if (coalesce) {
    // Only move forward: a slower, older save must not replace a newer snapshot.
    const updated = await SectionRevision.updateOne(
      { _id: open!.id, version: { $lt: section.version } },
      { $set: { snapshot, version: section.version } },
    );
    if (updated.matchedCount) return;
    const newer = await SectionRevision.exists({ _id: open!.id, version: { $gte: section.version } });
    if (newer) return;
  }
  try {
    const rev = await SectionRevision.create({
      section: section._id,
      version: section.version,
      snapshot,
      byUser,
      restoredFrom: options.restoredFrom ?? null,
    });
    await Section.updateOne(
      { _id: section._id, version: section.version },
      { $set: { openRevision: options.forceNew ? null : { id: rev._id, byUser, startedAt: now } } },
    );
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // that version is already recorded
  }
}

export interface RevisionSummary {
  id: string;
  version: number;
  byUser: string;
  createdAt: Date;
  updatedAt: Date;
  restoredFrom: number | null;
}

export async function listRevisions(sectionId: Types.ObjectId | string): Promise<RevisionSummary[]> {
  const revs = (await SectionRevision.find({ section: sectionId }, { snapshot: 0 })
    .sort({ version: -1 })
    .lean()) as SectionRevisionDoc[];
  return revs.map((r) => ({
    id: String(r._id),
    version: r.version,
    byUser: r.byUser,
    createdAt: r.createdAt as Date,
    updatedAt: r.updatedAt as Date,
    restoredFrom: r.restoredFrom ?? null,
  }));
}

export async function getRevision(
  sectionId: Types.ObjectId | string,
  revisionId: string,
): Promise<SectionRevisionDoc | null> {
  if (!Types.ObjectId.isValid(revisionId)) return null;
  return (await SectionRevision.findOne({ _id: revisionId, section: sectionId }).lean()) as SectionRevisionDoc | null;
}
