/** Who may see and change evidence. Only the owning candidate, in the course they own it in, for now. */

export interface Asker {
  userId: string;
  courseId: string;
  roles?: readonly string[];
  role?: string; // the role the page is shown as
}

export interface EvidenceOwnership {
  courseId: string;
  ownerId: string;
  _id?: unknown; // the item itself, for rules about one item (e.g. shared as a course resource)
}

/** A later capability (mentoring) adds a rule here, e.g. "a mentor of this candidate may read". */
export type EvidenceReadRule = (who: Asker, item: EvidenceOwnership) => boolean | Promise<boolean>;

const extraReadRules: EvidenceReadRule[] = [];

export function addEvidenceReadRule(rule: EvidenceReadRule): void {
  extraReadRules.push(rule);
}

const isOwner = (who: Asker, item: EvidenceOwnership) => who.userId === item.ownerId && who.courseId === item.courseId;

/** Reading (list, view, download): the owner, or anyone a registered rule lets in. */
export async function canReadEvidence(who: Asker, item: EvidenceOwnership): Promise<boolean> {
  if (isOwner(who, item)) return true;
  for (const rule of extraReadRules) {
    if (await rule(who, item)) return true;
  }
  return false;
}

/** Adding, editing, attaching, deleting: the owner only; nobody else ever changes a candidate's library. */
export function canChangeEvidence(who: Asker, item: EvidenceOwnership): boolean {
  return isOwner(who, item);
}

/** Having a library at all: candidates build portfolios, so candidates keep evidence (as the portfolio policy says). */
export function canKeepEvidence(who: Asker): boolean {
  return who.role === 'candidate' || ((who.roles ?? []).includes('candidate') && who.role !== 'mentor');
}
