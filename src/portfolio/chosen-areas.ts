import { notFound, validationFailed } from '../http/errors';
import { namesOf, openSlots, pathwayOf, type FrameworkRegistry } from './framework';
import { Portfolio } from './models';
import { ensureSections, forgetOwnPortfolio, type PortfolioCore } from './portfolio.service';
import { Section } from './models';

/**
 * Areas the candidate names (specialist areas, an advanced area) beyond those named at the start:
 * CMALT allows one or more specialist areas, so a candidate adds a second or third when ready.
 */
export const CHOSEN_MESSAGES = {
  full: (label: string) => `Your pathway has no room for another ${label.toLowerCase()}.`,
  same: (label: string) => `You already have a ${label.toLowerCase()} with that name.`,
  moved: 'Your portfolio changed while you were adding the area. Please try again.',
};

export async function addChosenArea(registry: FrameworkRegistry, portfolio: PortfolioCore, input: { set: string; name: string }): Promise<string> {
  const framework = registry.get(portfolio.frameworkId, portfolio.frameworkVersion);
  const pathway = framework && pathwayOf(framework, portfolio.pathway);
  const set = pathway?.chosen.find((c) => c.set === input.set);
  if (!framework || !pathway || !set) throw notFound('Your pathway has no area of that kind.');
  const slot = openSlots(framework, portfolio).find((s) => s.set === input.set);
  if (!slot) throw validationFailed(CHOSEN_MESSAGES.full(set.label), { field: 'name' });
  const names = namesOf(framework, portfolio);
  const sameSet = [...names.entries()].filter(([id]) => framework.areas.find((a) => a.id === id)?.chosen?.set === input.set);
  if (sameSet.some(([, n]) => n.toLowerCase() === input.name.toLowerCase())) throw validationFailed(CHOSEN_MESSAGES.same(set.label), { field: 'name' });
  const entry = { areaId: slot.areaId, name: input.name };
  const isFirstSet = pathway.chosen[0].set === input.set;
  // A portfolio begun before areaNames gets the full list once; afterwards each name is pushed on its own.
  const update = portfolio.areaNames?.length
    ? { filter: { 'areaNames.areaId': { $ne: slot.areaId } }, change: { $push: { areaNames: entry } } }
    : { filter: { areaNames: { $exists: false } }, change: { $set: { areaNames: [...[...names.entries()].map(([areaId, name]) => ({ areaId, name })), entry] } } };
  const done = await Portfolio.updateOne(
    { _id: portfolio._id, frameworkVersion: portfolio.frameworkVersion, ...update.filter },
    { ...update.change, ...(isFirstSet ? { $addToSet: { specialistAreas: input.name } } : {}) },
  );
  forgetOwnPortfolio(portfolio);
  if (done.modifiedCount !== 1) throw validationFailed(CHOSEN_MESSAGES.moved);
  const now = (await Portfolio.findById(portfolio._id).lean()) as PortfolioCore;
  await ensureSections(now, framework);
  const section = (await Section.findOne({ portfolio: portfolio._id, areaId: slot.areaId }, { _id: 1 }).lean()) as { _id: unknown } | null;
  return String(section?._id ?? '');
}
