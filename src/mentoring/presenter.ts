import { Types } from 'mongoose';
import { User } from '../people/user.model';
import { whenLondon as when } from '../http/dates';
import { findEvidence, STATE_LABELS } from '../portfolio';
import type { EvidenceSeen } from './change-view';
import type { SinceLastVisit } from './changes.service';
import type { CommentDoc, MentorReviewDoc, CoMentorShareDoc } from './models';
import { canDeleteComment, canEditComment, type Asker } from './policy';
import type { LoadedSection } from './sections.service';

/** Plain objects for the mentoring pages; rich text only through `safeHtml` (sanitised on the way in). */

export async function namesOf(userIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)].filter((id) => Types.ObjectId.isValid(id));
  const users = await User.find({ _id: { $in: ids } }, { name: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.name || 'Unnamed user']));
}

export interface CommentView {
  id: string;
  author: string;
  mine: boolean;
  safeHtml: string;
  when: string;
  edited: boolean;
  deleted: boolean;
  canEdit: boolean;
  canDelete: boolean;
  text: string;
}
export interface ThreadView extends CommentView {
  resolved: boolean;
  replies: CommentView[];
}

const htmlText = (html: string) => html.replace(/<br \/>/g, '\n').replace(/<\/p>/g, '\n\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();

/** Threads by where they hang: '' for the section, else the example id. */
export async function threadsPresenter(who: Asker, comments: CommentDoc[], now = new Date()): Promise<Map<string, ThreadView[]>> {
  const names = await namesOf(comments.map((c) => c.authorId));
  const view = (c: CommentDoc): CommentView => ({
    id: String(c._id),
    author: c.authorId === who.userId ? 'You' : names.get(c.authorId) ?? 'Someone who has left',
    mine: c.authorId === who.userId,
    safeHtml: c.deletedAt ? '' : c.body,
    text: c.deletedAt ? '' : htmlText(c.body),
    when: when(c.createdAt),
    edited: !!c.editedAt,
    deleted: !!c.deletedAt,
    canEdit: canEditComment(who, c, now),
    canDelete: canDeleteComment(who, c),
  });
  const out = new Map<string, ThreadView[]>();
  for (const root of comments.filter((c) => !c.parent)) {
    const key = root.exampleId ?? '';
    const replies = comments.filter((c) => c.parent && String(c.parent) === String(root._id)).map(view);
    out.set(key, [...(out.get(key) ?? []), { ...view(root), resolved: root.resolved, replies }]);
  }
  return out;
}

export async function reviewsPresenter(reviews: MentorReviewDoc[]) {
  const names = await namesOf(reviews.map((r) => r.mentorId));
  return reviews.map((r) => ({
    decision: r.decision === 'meets_criterion' ? 'Meets the criterion' : 'Needs more work',
    state: r.decision,
    by: names.get(r.mentorId) ?? 'A mentor',
    when: when(r.createdAt),
    feedback: { safeHtml: r.feedback },
  }));
}

/** The change view: changed paragraphs with context, evidence linked or unlinked, and the other base to compare with. */
export function changesPresenter(since: SinceLastVisit | null, options: { evidenceLinks: boolean; hrefOf: (base: string) => string }) {
  if (!since) return null;
  const c = since.changes;
  const evidence = (e: EvidenceSeen, linkable: boolean) => ({ title: e.title, place: e.place, href: linkable && options.evidenceLinks ? `/portfolio/evidence/${e.id}` : null });
  const otherBase = since.base === 'visit' && since.reviewedAt && since.lastVisitAt && since.reviewedAt < since.lastVisitAt
    ? { href: options.hrefOf('review'), label: `Compare with what you reviewed on ${when(since.reviewedAt)}` }
    : since.base === 'review' && since.lastVisitAt
      ? { href: options.hrefOf('visit'), label: `Compare with your last visit on ${when(since.lastVisitAt)}` }
      : null;
  return {
    firstVisit: since.firstVisit,
    base: since.base,
    baseAt: when(since.baseAt),
    changed: since.changed,
    otherBase,
    hunks: (c?.hunks ?? []).map((hunk) => ({
      skipped: hunk.skipped,
      // A place is named once, where it starts within the hunk.
      paragraphs: hunk.paragraphs.map((p, i) => ({ ...p, showPlace: !!p.place && (i === 0 || hunk.paragraphs[i - 1].place !== p.place) })),
    })),
    skippedAfter: c && c.hunks.length ? c.skippedAfter : 0,
    changedParagraphs: c?.changedParagraphs ?? 0,
    evidenceAdded: (c?.evidenceAdded ?? []).map((e) => evidence(e, true)),
    evidenceRemoved: (c?.evidenceRemoved ?? []).map((e) => evidence(e, false)),
  };
}

/** Evidence titles for the examples; the download link only for readers the evidence policy lets in. */
async function evidenceOf(ids: Types.ObjectId[], linkable: boolean) {
  const items = [];
  for (const id of ids) {
    const e = await findEvidence(String(id));
    if (!e) continue;
    const item = e as unknown as { _id: Types.ObjectId; title?: string; kind?: string; file?: unknown; url?: string };
    items.push({ id: String(item._id), title: item.title || 'Untitled evidence', href: linkable ? `/portfolio/evidence/${String(item._id)}` : null });
  }
  return items;
}

export async function readerSectionPresenter(loaded: LoadedSection, options: { evidenceLinks: boolean }) {
  const { section, area } = loaded;
  return {
    id: String(section._id),
    portfolioId: String(loaded.portfolio._id),
    title: area.displayTitle,
    asks: area.asks,
    kind: area.kind,
    candidateName: loaded.candidate.name,
    state: section.state,
    stateLabel: STATE_LABELS[section.state],
    version: section.version,
    body: { safeHtml: section.body ?? '' },
    examples: await Promise.all(
      section.examples.map(async (e, i) => ({
        id: String(e._id),
        number: i + 1,
        title: e.title || 'Untitled',
        description: { safeHtml: e.description ?? '' },
        reflection: { safeHtml: e.reflection ?? '' },
        evidence: await evidenceOf(e.evidenceIds ?? [], options.evidenceLinks),
      })),
    ),
  };
}

export async function sharesPresenter(shares: CoMentorShareDoc[], peers: Array<{ userId: string | null; name: string }>) {
  const names = await namesOf(shares.map((s) => s.peerId));
  const sharedIds = new Set(shares.map((s) => s.peerId));
  return {
    shares: shares.map((s) => ({ id: String(s._id), peer: names.get(s.peerId) ?? 'A candidate', since: when(s.createdAt) })),
    choices: peers.filter((p) => p.userId && !sharedIds.has(p.userId)).map((p) => ({ id: p.userId!, name: p.name })),
  };
}
