import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { freshDatabaseUri } from '../support/db';
import { frameworks } from '../../src/portfolio/framework';
import { loadPortfolio, openOrCreatePortfolio } from '../../src/portfolio/portfolio-service';
import { Portfolio, Section, SectionRevision } from '../../src/portfolio/models';

/** Each test file gets its own database; the models' indexes exist before the first test. */
export async function connectFreshDatabase(label: string): Promise<void> {
  await mongoose.connect(freshDatabaseUri(label));
  await Promise.all([Portfolio.init(), Section.init(), SectionRevision.init()]);
}

export const disconnect = () => mongoose.disconnect();

/** A candidate's portfolio with its empty sections: aPortfolio({ pathway: 'senior' }). */
export async function aPortfolio(over: { userId?: string; courseId?: string; pathway?: string; specialistAreas?: string[] } = {}) {
  const candidate = { userId: over.userId ?? `u-${randomBytes(4).toString('hex')}`, courseId: over.courseId ?? 'course-1' };
  const pathway = over.pathway ?? 'cmalt';
  const specialistAreas = over.specialistAreas ?? (pathway === 'senior' ? ['Accessibility', 'Assessment'] : ['Accessibility']);
  const portfolio = await openOrCreatePortfolio(frameworks(), candidate, { pathway, specialistAreas });
  const loaded = await loadPortfolio(frameworks(), portfolio);
  const sectionFor = (areaId: string) => loaded.sections.find((s) => s.areaId === areaId)!;
  const target = (areaId: string, byUser = candidate.userId) => ({
    portfolioId: portfolio._id,
    sectionId: String(sectionFor(areaId)._id),
    byUser,
  });
  return { candidate, ...loaded, sectionFor, target };
}

export const anExample = (over: Partial<{ title: string; project: string; description: string; reflection: string }> = {}) => ({
  title: over.title ?? 'Moving quizzes to the new VLE',
  tags: { role: 'Learning technologist', project: over.project ?? 'VLE migration', year: '2024' },
  description: over.description ?? '<p>I planned the move of 40 quizzes.</p>',
  reflection: over.reflection ?? '<p>I learned to test with students first.</p>',
});
