import type { NotifyOptions } from '../notifications';
import { onApprovedSectionEdited, onSectionStateChanged } from '../portfolio';
import { coordinatorIdsOf, mentorIdsOf, tell } from './notify';
import { noteReadySection } from './reviews';
import { loadSectionById } from './sections';

let unsubscribe: (() => void) | null = null;
let unsubscribeEdits: (() => void) | null = null;

/**
 * When a candidate marks a section ready, note when it started waiting and tell their mentors at once.
 * One listener per process (the latest app's notifier); the dashboard repeats the note if this one was lost.
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
