import { Types } from 'mongoose';
import { clearSignOffMarkIfSettled } from './approval-edits';
import { Section, SectionDoc, SectionState } from './models';

/**
 * Every allowed change of a section's state, and who may make it. Candidates ask for review and
 * withdraw; only mentors decide; the system moves a section to draft when it first gets content.
 */
export type StateActor = 'candidate' | 'mentor' | 'system';

export interface StateTransition {
  from: SectionState;
  to: SectionState;
  by: StateActor;
}

export const TRANSITIONS: readonly StateTransition[] = [
  { from: 'not_started', to: 'draft', by: 'system' },
  { from: 'draft', to: 'ready_for_review', by: 'candidate' },
  { from: 'needs_more_work', to: 'ready_for_review', by: 'candidate' },
  { from: 'ready_for_review', to: 'draft', by: 'candidate' },
  { from: 'ready_for_review', to: 'needs_more_work', by: 'mentor' },
  { from: 'ready_for_review', to: 'meets_criterion', by: 'mentor' },
  { from: 'meets_criterion', to: 'needs_more_work', by: 'mentor' },
  // Looking again at an approved section the candidate changed since (approval-edits.ts) and confirming it.
  { from: 'meets_criterion', to: 'meets_criterion', by: 'mentor' },
];

export const STATE_LABELS: Record<SectionState, string> = {
  not_started: 'Not started',
  draft: 'Draft',
  ready_for_review: 'Ready for review',
  needs_more_work: 'Needs more work',
  meets_criterion: 'Meets the criterion',
};

export function canTransition(from: SectionState, to: SectionState, by: StateActor): boolean {
  return TRANSITIONS.some((t) => t.from === from && t.to === to && t.by === by);
}

/** The state after a content save: a section with content is never "not started". */
export function stateAfterContent(current: SectionState, hasContent: boolean): SectionState {
  return current === 'not_started' && hasContent ? 'draft' : current;
}

/** Who wants to know when a section changes state (mentoring notifies, gradebook re-scores). */
export interface SectionStateChange {
  section: SectionDoc;
  from: SectionState;
  to: SectionState;
  by: StateActor;
  byUser: string;
}
type StateListener = (change: SectionStateChange) => void | Promise<void>;
const listeners = new Set<StateListener>();

export function onSectionStateChanged(listener: StateListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called after the write succeeded; a listener's failure never fails the request that changed the state. */
export function announceStateChange(change: SectionStateChange): void {
  for (const listener of listeners) {
    Promise.resolve()
      .then(() => listener(change))
      .catch((err: unknown) =>
        console.error(JSON.stringify({ msg: 'section state listener failed', section: String(change.section._id), err: String(err) })),
      );
  }
}

export type TransitionResult =
  | { ok: true; section: SectionDoc }
  | { ok: false; reason: 'not_allowed' | 'stale' | 'missing'; current?: SectionDoc };

/**
 * Applies one transition atomically: the update matches only if the section is still in `from` and
 * still at `expectedVersion`, so two people deciding at once cannot both win.
 */
export async function applyTransition(input: {
  sectionId: string | Types.ObjectId;
  to: SectionState;
  by: StateActor;
  expectedVersion: number;
  byUser: string;
}): Promise<TransitionResult> {
  const current = (await Section.findById(input.sectionId).lean()) as SectionDoc | null;
  if (!current) return { ok: false, reason: 'missing' };
  if (current.version !== input.expectedVersion) return { ok: false, reason: 'stale', current };
  if (!canTransition(current.state, input.to, input.by)) return { ok: false, reason: 'not_allowed', current };
  const updated = (await Section.findOneAndUpdate(
    { _id: current._id, version: input.expectedVersion, state: current.state },
    // The content is unchanged: the overview's figures (section-summary.ts) move with the version.
    // Any decision settles a "changed since it was approved" mark (approval-edits.ts).
    { $set: { state: input.to, updatedBy: input.byUser, approvedChangedAt: null }, $inc: { version: 1, 'summary.bodyStamp': 1, 'summary.examplesStamp': 1 } },
    { new: true },
  ).lean()) as SectionDoc | null;
  if (!updated) {
    const now = (await Section.findById(input.sectionId).lean()) as SectionDoc | null;
    return { ok: false, reason: 'stale', current: now ?? undefined };
  }
  if (current.approvedChangedAt) await clearSignOffMarkIfSettled(updated.portfolio);
  if (current.state !== input.to) announceStateChange({ section: updated, from: current.state, to: input.to, by: input.by, byUser: input.byUser });
  return { ok: true, section: updated };
}
