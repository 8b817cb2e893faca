import { AGS_SCOPES, nextLink, readResult } from '../vle/ags';
import type { VleJobContext } from '../vle/context';
import { gradeOutboxModel, type GradeOutboxEntry, type ReadBack, type SentScore } from './outbox.model';
import type { PlatformTarget } from '../vle/platform-client';
import type { ScoreValues } from './score';

const SAME = 0.005; // half a percentage point: rounding on either side is not a difference

/** After a post, what the VLE's gradebook holds for the candidate, compared with what was sent. */
export async function readBack(
  ctx: VleJobContext,
  where: { target: PlatformTarget; scopes: string[]; lineItemUrl: string; userId: string },
  sent: ScoreValues,
): Promise<ReadBack> {
  const checkedAt = ctx.now();
  if (!where.scopes.includes(AGS_SCOPES.resultReadOnly)) {
    return { state: 'unknown', detail: 'The VLE did not give CMALT Portfolio permission to read its gradebook back.', checkedAt };
  }
  try {
    const held = await readResult(ctx.platform, where.target, where.scopes, where.lineItemUrl, where.userId);
    return { ...compare(sent, held), checkedAt };
  } catch (e) {
    ctx.log.info({ err: (e as Error).message }, 'gradebook read-back did not go through');
    return { state: 'unknown', detail: 'The VLE did not answer when CMALT Portfolio read its gradebook back.', checkedAt };
  }
}

const RESULT_CONTAINER_TYPE = 'application/vnd.ims.lis.v2.resultcontainer+json';
const MAX_PAGES = 200; // of the VLE's results list: a bound on a VLE whose "next" never ends

/**
 * After many posts to one line item, what the VLE holds for each of them from one read of the line item's results
 * (`GET {lineitem}/results`, every page): a few calls instead of one per candidate. Compared as `readBack` does.
 */
export async function readBackMany(
  ctx: VleJobContext,
  where: { target: PlatformTarget; scopes: string[]; lineItemUrl: string },
  sent: Map<string, ScoreValues>, // by the candidate's LTI sub
): Promise<Map<string, ReadBack>> {
  const checkedAt = ctx.now();
  const all = (rb: Omit<ReadBack, 'checkedAt'>) => new Map([...sent.keys()].map((userId) => [userId, { ...rb, checkedAt }]));
  if (!where.scopes.includes(AGS_SCOPES.resultReadOnly)) {
    return all({ state: 'unknown', detail: 'The VLE did not give CMALT Portfolio permission to read its gradebook back.' });
  }
  const held = new Map<string, { resultScore: number | null; resultMaximum: number | null }>();
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  try {
    const first = new URL(where.lineItemUrl);
    first.pathname = `${first.pathname.replace(/\/$/, '')}/results`;
    let url: string | undefined = first.toString();
    for (let page = 0; url && page < MAX_PAGES; page += 1) {
      const res = await ctx.platform.call(where.target, where.scopes, { method: 'GET', url, accept: RESULT_CONTAINER_TYPE });
      for (const r of Array.isArray(res.body) ? (res.body as Array<Record<string, unknown>>) : []) {
        if (r && typeof r.userId === 'string' && sent.has(r.userId)) held.set(r.userId, { resultScore: num(r.resultScore), resultMaximum: num(r.resultMaximum) });
      }
      url = nextLink(res.headers.get('link'));
    }
  } catch (e) {
    ctx.log.info({ err: (e as Error).message }, 'gradebook read-back did not go through');
    return all({ state: 'unknown', detail: 'The VLE did not answer when CMALT Portfolio read its gradebook back.' });
  }
  return new Map([...sent].map(([userId, values]) => [userId, { ...compare(values, held.get(userId) ?? null), checkedAt }]));
}

export function compare(sent: ScoreValues, held: { resultScore: number | null; resultMaximum: number | null } | null): Omit<ReadBack, 'checkedAt'> {
  const score = held?.resultScore ?? null;
  const max = held?.resultMaximum ?? sent.scoreMaximum;
  // Nothing written yet is sent NotReady: a VLE showing no grade then is what was meant.
  if (score === null) return { state: sent.gradingProgress === 'NotReady' ? 'kept' : 'not_kept', resultScore: null, resultMaximum: held?.resultMaximum ?? null };
  const same = max > 0 && Math.abs(score / max - sent.scoreGiven / sent.scoreMaximum) <= SAME;
  return { state: same ? 'kept' : 'differs', resultScore: score, resultMaximum: max };
}

/** A post that went through, to be read back. */
export interface ToReadBack {
  target: PlatformTarget;
  scopes: string[];
  lineItemUrl: string;
  userId: string; // the candidate's LTI sub
  values: ScoreValues;
}

const LIST_FROM = 20; // posts to one line item in a drain from which one read of all its results is cheaper

/**
 * Reads back a drain's sent scores and records what the VLE holds on each entry, unless a later send replaced it.
 * Many posts to one line item: one read of its results (every page); a few: one read per candidate, as ever.
 */
export async function readBackSent(
  ctx: VleJobContext,
  done: Array<{ entry: GradeOutboxEntry; sent: SentScore; toReadBack: ToReadBack }>,
  concurrency = 4,
): Promise<void> {
  if (!done.length) return;
  const byLine = new Map<string, typeof done>();
  for (const d of done) {
    const key = `${d.toReadBack.target.issuer}\n${d.toReadBack.target.clientId}\n${d.toReadBack.lineItemUrl}`;
    let list = byLine.get(key);
    if (!list) byLine.set(key, (list = []));
    list.push(d);
  }
  const found = new Map<(typeof done)[number], ReadBack>();
  for (const list of byLine.values()) {
    if (list.length >= LIST_FROM) {
      const held = await readBackMany(ctx, list[0].toReadBack, new Map(list.map((d) => [d.toReadBack.userId, d.toReadBack.values])));
      for (const d of list) found.set(d, held.get(d.toReadBack.userId)!);
      continue;
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, list.length) }, async () => {
        while (next < list.length) {
          const d = list[next++];
          found.set(d, await readBack(ctx, d.toReadBack, d.toReadBack.values));
        }
      }),
    );
  }
  await gradeOutboxModel(ctx.connection).bulkWrite(
    done.map((d) => ({
      updateOne: { filter: { _id: d.entry._id, 'lastSent.timestamp': d.sent.timestamp }, update: { $set: { 'lastSent.readBack': found.get(d)! } } },
    })),
    { ordered: false },
  );
}
