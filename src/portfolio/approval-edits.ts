import { Portfolio, Section, SectionDoc } from './models';

/**
 * Review follows edits. The rule (docs/decisions.md (“Writing without losing a word”)): a mentor's approval stands until a person
 * changes it, so editing a section that meets the criterion keeps that state and its score, but marks the
 * section "changed since it was approved" and tells the mentors, who look again and either confirm it or
 * ask for more work. A signed-off portfolio is marked "changed since it was signed off" the same way; its
 * sign-off (and the gradebook's Completed) stands until the coordinator decides.
 */
export interface ApprovedSectionEdit {
  section: SectionDoc;
  byUser: string;
  /** The portfolio was signed off, and this is its first change since. */
  afterSignOff: boolean;
}
type Listener = (edit: ApprovedSectionEdit) => void | Promise<void>;
const listeners = new Set<Listener>();

export function onApprovedSectionEdited(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * After a content save: the first change to an approved section marks it (once per approval) and is
 * announced. `before` (when the caller read it) lets a save that changed nothing stay unmarked.
 */
export async function noteEditAfterApproval(section: SectionDoc, before: Pick<SectionDoc, 'body' | 'examples'> | null, byUser: string): Promise<SectionDoc> {
  if (section.state !== 'meets_criterion' || section.approvedChangedAt) return section;
  if (before && JSON.stringify([before.body, before.examples]) === JSON.stringify([section.body, section.examples])) return section;
  const now = new Date();
  const marked = (await Section.findOneAndUpdate(
    { _id: section._id, state: 'meets_criterion', approvedChangedAt: null },
    { $set: { approvedChangedAt: now } },
    { new: true },
  ).lean()) as SectionDoc | null;
  if (!marked) return section;
  const signedOff = await Portfolio.updateOne(
    { _id: section.portfolio, signedOffAt: { $ne: null }, changedAfterSignOffAt: null },
    { $set: { changedAfterSignOffAt: now } },
  );
  const edit = { section: marked, byUser, afterSignOff: signedOff.modifiedCount === 1 };
  for (const listener of listeners) {
    Promise.resolve()
      .then(() => listener(edit))
      .catch((err: unknown) => console.error(JSON.stringify({ msg: 'approved edit listener failed', section: String(section._id), err: String(err) })));
  }
  return marked;
}

/** After a mentor's decision cleared a section's mark: the portfolio's mark goes once no section carries one. */
export async function clearSignOffMarkIfSettled(portfolioId: SectionDoc['portfolio']): Promise<void> {
  const stillMarked = await Section.exists({ portfolio: portfolioId, approvedChangedAt: { $ne: null } });
  if (!stillMarked) await Portfolio.updateOne({ _id: portfolioId, changedAfterSignOffAt: { $ne: null } }, { $set: { changedAfterSignOffAt: null } });
}
