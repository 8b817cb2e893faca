import { AGS_SCOPES, readResult } from '../vle/ags';
import type { VleJobContext } from '../vle/context';
import type { ReadBack } from './outbox.model';
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

export function compare(sent: ScoreValues, held: { resultScore: number | null; resultMaximum: number | null } | null): Omit<ReadBack, 'checkedAt'> {
  const score = held?.resultScore ?? null;
  const max = held?.resultMaximum ?? sent.scoreMaximum;
  // Nothing written yet is sent NotReady: a VLE showing no grade then is what was meant.
  if (score === null) return { state: sent.gradingProgress === 'NotReady' ? 'kept' : 'not_kept', resultScore: null, resultMaximum: held?.resultMaximum ?? null };
  const same = max > 0 && Math.abs(score / max - sent.scoreGiven / sent.scoreMaximum) <= SAME;
  return { state: same ? 'kept' : 'differs', resultScore: score, resultMaximum: max };
}
