import { commentsOn } from './comments';
import { canOnSection, type Asker } from './policy';
import { threadsPresenter, type ThreadView } from './presenters';
import { loadSectionById } from './sections';

/**
 * Locals for views/mentoring/comments.ejs on another capability's page (e.g. the candidate's editor):
 * `threadsByPlace['']` for the section, `threadsByPlace[exampleId]` for an example. Null when `who` may not read.
 */
export async function commentLocalsFor(who: Asker, sectionId: string): Promise<{ sectionId: string; threadsByPlace: Record<string, ThreadView[]>; canComment: boolean } | null> {
  const loaded = await loadSectionById(sectionId);
  if (!loaded || !(await canOnSection(who, 'read', sectionId, loaded.candidate))) return null;
  const threads = await threadsPresenter(who, await commentsOn(loaded.section._id));
  return { sectionId, threadsByPlace: Object.fromEntries(threads), canComment: await canOnSection(who, 'comment', sectionId, loaded.candidate) };
}
