import type { NotifyOptions } from '../notifications';
import { onSectionStateChanged } from '../portfolio';
import { noteReadySection } from './reviews';
import { loadSectionById } from './sections';

let unsubscribe: (() => void) | null = null;

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
