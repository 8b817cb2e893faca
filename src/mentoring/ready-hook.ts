import type { Types } from 'mongoose';
import type { NotifyOptions } from '../notifications';
import { onApprovedSectionEdited, onSectionStateChanged, Section, type SectionDoc } from '../portfolio';
import { ReviewRequest } from './models';
import { coordinatorIdsOf, mentorIdsOf, tell } from './notify';
import { noteReadySection } from './reviews.service';
import { loadSectionById } from './sections.service';

let unsubscribe: (() => void) | null = null;
let unsubscribeEdits: (() => void) | null = null;

/**
 * When a candidate marks a section ready, note when it started waiting and tell their mentors at once.
 * One listener per process (the latest app's notifier); catchUpReadySections repeats the note if this one was lost.
 */
export function listenForReadySections(options: NotifyOptions): void {
  unsubscribe?.();
  unsubscribe = onSectionStateChanged(async (change) => {
    if (change.to !== 'ready_for_review') return;
    const loaded = await loadSectionById(String(change.section._id));
    if (!loaded) return;
    const { candidate } = loaded;
    await noteReadySection(
      change.section,
      { courseId: candidate.courseId, candidateId: candidate.userId, candidateSub: candidate.sub, candidateName: candidate.name, areaTitle: loaded.area.displayTitle, since: new Date() },
      options,
    );
  });
}

/**
 * The catch-up the dashboard used to do on every GET: a section ready for review with no open request (its note
 * was lost, e.g. a crash between the write and the note) is noted and its mentors told. In pages of `batch`
 * sections so one pass never holds the event loop for long; the notification key makes a repeat harmless.
 */
export async function catchUpReadySections(options: NotifyOptions, batch = 200): Promise<number> {
  let noted = 0;
  let after: Types.ObjectId | null = null;
  for (;;) {
    const page: Array<Pick<SectionDoc, '_id'>> = await Section.find({ state: 'ready_for_review', ...(after ? { _id: { $gt: after } } : {}) }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean();
    if (!page.length) return noted;
    after = page[page.length - 1]._id as Types.ObjectId;
    const open = new Set((await ReviewRequest.find({ section: { $in: page.map((s) => s._id) }, open: true }, { section: 1 }).lean()).map((r) => String(r.section)));
    for (const s of page.filter((x) => !open.has(String(x._id)))) {
      const loaded = await loadSectionById(String(s._id));
      if (!loaded) continue;
      const { candidate } = loaded;
      await noteReadySection(
        loaded.section,
        { courseId: candidate.courseId, candidateId: candidate.userId, candidateSub: candidate.sub, candidateName: candidate.name, areaTitle: loaded.area.displayTitle },
        options,
      );
      noted += 1;
    }
    if (page.length < batch) return noted;
  }
}

/** Runs the catch-up soon after start and then every `everyMs`; returns the stop. Started only in boot.ts. */
export function startReadyCatchUp(options: NotifyOptions, onError: (err: unknown) => void, everyMs = 15 * 60_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => void (running = catchUpReadySections(options).catch(onError));
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}

/**
 * When a candidate changes a section a mentor approved (or a signed-off portfolio), its mentors are told at
 * once (and the coordinators, after sign-off); the dashboard lists it until a mentor looks again and decides.
 */
export function listenForApprovedEdits(options: NotifyOptions): void {
  unsubscribeEdits?.();
  unsubscribeEdits = onApprovedSectionEdited(async (edit) => {
    const loaded = await loadSectionById(String(edit.section._id));
    if (!loaded) return;
    const { candidate } = loaded;
    const people = await mentorIdsOf(candidate.courseId, candidate.sub);
    if (edit.afterSignOff) people.push(...(await coordinatorIdsOf(candidate.courseId)));
    const signedOff = edit.afterSignOff ? ' Their portfolio had been signed off.' : '';
    await tell(options, people.filter((id) => id !== candidate.userId), {
      courseId: candidate.courseId,
      kind: 'changed_after_approval',
      text: `${candidate.name} changed ${loaded.area.displayTitle} after it was approved. Please look again.${signedOff}`,
      path: `/mentoring/sections/${String(edit.section._id)}`,
      key: `approved-edit:${String(edit.section._id)}:${new Date(edit.section.approvedChangedAt ?? Date.now()).getTime()}`,
    });
  });
}
