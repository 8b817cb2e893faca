import { agsScopes, createLineItem, findLineItems, getLineItem, PROGRESS_LINE_ITEM, AGS_SCOPES } from '../vle/ags';
import type { VleJobContext } from '../vle/context';
import { frameworks } from '../portfolio';
import { Course } from '../people/course.model';
import { gradebookLineModel, type GradebookLine } from './line.model';

export type ResolvedLine = { ok: true; line: GradebookLine & { lineItemUrl: string; scoreMaximum: number } } | { ok: false; busy: true };

const RESOLVE_LEASE_MS = 60_000;

/**
 * Makes sure a line knows its line item URL and maximum: the claim's item, else ours found by
 * resource link + tag, else one we create. A lease on the line means only one worker, on any
 * instance, looks and creates at a time; the others wait for its answer.
 */
export async function resolveLine(ctx: VleJobContext, lineId: string): Promise<ResolvedLine> {
  const Line = gradebookLineModel(ctx.connection);
  const known = await Line.findById(lineId).lean();
  if (!known) throw new Error(`gradebook line ${lineId} has gone`);
  if (isResolved(known)) return { ok: true, line: known };
  const now = ctx.now();
  const line = await Line.findOneAndUpdate(
    { _id: known._id, $or: [{ resolvingUntil: null }, { resolvingUntil: { $lt: now } }] }, // not even our own other lanes
    { $set: { resolvingBy: ctx.ownerId, resolvingUntil: new Date(now.getTime() + RESOLVE_LEASE_MS) } },
    { new: true },
  ).lean();
  if (!line) return { ok: false, busy: true };
  if (isResolved(line)) return release(ctx, line);
  try {
    const target = { issuer: line.issuer, clientId: line.clientId };
    const scopes = agsScopes(line.scopes);
    const canRead = scopes.includes(AGS_SCOPES.lineItem) || scopes.includes(AGS_SCOPES.lineItemReadOnly);
    let found: { lineItemUrl: string; scoreMaximum: number; source: GradebookLine['source'] };
    if (line.lineItemUrl) {
      const max = canRead ? (await getLineItem(ctx.platform, target, scopes, line.lineItemUrl)).scoreMaximum : PROGRESS_LINE_ITEM.scoreMaximum;
      found = { lineItemUrl: line.lineItemUrl, scoreMaximum: max, source: line.source };
    } else {
      if (!line.lineItemsUrl) throw new Error('The VLE gave neither a line item nor a line items address for this course.');
      const filter = { resourceLinkId: line.resourceLinkId, tag: PROGRESS_LINE_ITEM.tag };
      const ours = canRead ? await findLineItems(ctx.platform, target, scopes, line.lineItemsUrl, filter) : [];
      const item = ours[0] ?? (await createLineItem(ctx.platform, target, scopes, line.lineItemsUrl, line.resourceLinkId, await columnLabel(ctx, line.courseId)));
      found = { lineItemUrl: item.id, scoreMaximum: item.scoreMaximum, source: ours[0] ? 'found' : 'created' };
      ctx.log.info({ lineId, source: found.source }, 'gradebook line item ready');
    }
    const saved = await Line.findOneAndUpdate(
      { _id: line._id, resolvingBy: ctx.ownerId },
      { $set: { ...found, resolvingBy: null, resolvingUntil: null } },
      { new: true },
    ).lean();
    if (!saved || !isResolved(saved)) return { ok: false, busy: true };
    return { ok: true, line: saved };
  } catch (e) {
    await Line.updateOne({ _id: line._id, resolvingBy: ctx.ownerId }, { $set: { resolvingBy: null, resolvingUntil: null } });
    throw e;
  }
}

function isResolved(line: GradebookLine): line is GradebookLine & { lineItemUrl: string; scoreMaximum: number } {
  return Boolean(line.lineItemUrl) && typeof line.scoreMaximum === 'number';
}

async function release(ctx: VleJobContext, line: GradebookLine & { lineItemUrl: string; scoreMaximum: number }): Promise<ResolvedLine> {
  await gradebookLineModel(ctx.connection).updateOne({ _id: line._id, resolvingBy: ctx.ownerId }, { $set: { resolvingBy: null, resolvingUntil: null } });
  return { ok: true, line };
}

/** "CMALT portfolio progress", "Fellowship portfolio progress": after the framework the course was set up with. */
async function columnLabel(ctx: VleJobContext, courseId: string): Promise<string> {
  const C = (ctx.connection.models.Course as typeof Course | undefined) ?? ctx.connection.model('Course', Course.schema);
  const course = (await C.findById(courseId, { frameworkId: 1 }).lean().catch(() => null)) as { frameworkId?: string } | null;
  const registry = frameworks();
  const framework = (course?.frameworkId && registry.latest(course.frameworkId)) || registry.defaultFramework();
  return `${framework.shortTitle} portfolio progress`;
}
