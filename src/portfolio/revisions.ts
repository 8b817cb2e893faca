import { Types } from 'mongoose';
import { SectionDoc, SectionRevision, SectionRevisionDoc } from './models';

/** Saves by the same person within this window share one revision, so history is readable, not keystrokes. */
export const COALESCE_MS = 5 * 60 * 1000;

/**
 * The open revision (the one recent saves coalesce into) lives in the section itself while it is open:
 * `section.openRevision` says whose it is, since when, and at which version its content was last saved,
 * and the section's own content is that content. Its stored snapshot is brought up to date when it closes
 * (the next save by someone else, after the window, or a restore), so a coalescing autosave writes one
 * document, the section, and nothing else. A save that opens a revision sets `openRevision` in its own
 * update and stores the revision document after it.
 */
type OpenRevision = NonNullable<SectionDoc['openRevision']>;
type Revisable = Pick<SectionDoc, '_id' | 'version' | 'body' | 'examples' | 'openRevision' | 'updatedAt'>;

/**
 * The conditions under which a save by `byUser` at `now` joins the section's open revision. `writer` names
 * the tab or device (the autosave client's id): saves from another tab never join, so text one tab
 * overwrites in another always stays in the history.
 */
export function coalescingFilter(byUser: string, now: Date, writer: string | null = null) {
  return { 'openRevision.byUser': byUser, 'openRevision.writer': writer, 'openRevision.startedAt': { $gt: new Date(now.getTime() - COALESCE_MS) } };
}

/** Whether a save by `byUser` (from `writer`) at `now` joins this section's open revision. */
export function joinsOpenRevision(section: Pick<SectionDoc, 'openRevision'>, byUser: string, now: Date, writer: string | null = null): boolean {
  const open = section.openRevision;
  return Boolean(
    open?.id && open.byUser === byUser && (open.writer ?? null) === writer && open.startedAt && now.getTime() - new Date(open.startedAt).getTime() < COALESCE_MS,
  );
}

/** What a coalescing save sets beside its content, in the same update: the open revision's version and time. */
export const openRevisionSaved = (version: number, now: Date) => ({ 'openRevision.version': version, 'openRevision.savedAt': now });

/**
 * Before a save that does not join the open revision: the open revision closes with what the section holds
 * now. Written before the save itself, so a crash in between loses nothing of the history; a revision
 * document missing after such a crash is created here, and a close never moves a revision backwards.
 */
export async function closeOpenRevision(before: Revisable): Promise<void> {
  const open = before.openRevision;
  if (!open?.id) return;
  const version = open.version ?? before.version;
  try {
    await SectionRevision.updateOne(
      { _id: open.id, version: { $lte: version } },
      {
        $set: { snapshot: { body: before.body, examples: before.examples }, version },
        $setOnInsert: { section: before._id, byUser: open.byUser, restoredFrom: null },
      },
      { upsert: true },
    );
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // it holds a newer version already
  }
}

/** The revision a save opens: its id, and what the save sets on the section in the same update. */
export function openingRevision(byUser: string, version: number, now: Date, options: { closed?: boolean; writer?: string | null } = {}) {
  const id = new Types.ObjectId();
  const openRevision: OpenRevision | null = options.closed ? null : { id, byUser, writer: options.writer ?? null, startedAt: now, version, savedAt: now };
  return { id, set: { openRevision } };
}

/** Stores the revision a save opened (after the save, which may have been refused as a conflict). */
export async function storeRevision(id: Types.ObjectId, section: Revisable, byUser: string, restoredFrom?: number): Promise<void> {
  try {
    await SectionRevision.create({
      _id: id,
      section: section._id,
      version: section.version,
      snapshot: { body: section.body, examples: section.examples },
      byUser,
      restoredFrom: restoredFrom ?? null,
    });
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
  /** The open revision: its content is the section's current content. */
  open: boolean;
}

/** A stored revision as it truly is: the open one takes its content, version and time from the section. */
function asItIs(section: Revisable, rev: SectionRevisionDoc): SectionRevisionDoc & { open: boolean } {
  const open = section.openRevision;
  if (!open?.id || String(open.id) !== String(rev._id)) return { ...rev, open: false };
  return {
    ...rev,
    snapshot: { body: section.body, examples: section.examples },
    version: open.version ?? rev.version,
    updatedAt: open.savedAt ?? rev.updatedAt,
    open: true,
  };
}

export async function listRevisions(section: Revisable): Promise<RevisionSummary[]> {
  const revs = (await SectionRevision.find({ section: section._id }, { snapshot: 0 })
    .sort({ version: -1 })
    .lean()) as SectionRevisionDoc[];
  return revs
    .map((r) => asItIs(section, r))
    .sort((a, b) => b.version - a.version)
    .map((r) => ({
      id: String(r._id),
      version: r.version,
      byUser: r.byUser,
      createdAt: r.createdAt as Date,
      updatedAt: r.updatedAt as Date,
      restoredFrom: r.restoredFrom ?? null,
      open: r.open,
    }));
}

export async function getRevision(section: Revisable, revisionId: string): Promise<(SectionRevisionDoc & { open: boolean }) | null> {
  if (!Types.ObjectId.isValid(revisionId)) return null;
  const rev = (await SectionRevision.findOne({ _id: revisionId, section: section._id }).lean()) as SectionRevisionDoc | null;
  return rev ? asItIs(section, rev) : null;
}
