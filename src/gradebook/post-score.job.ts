import { agsScopes, postScore } from '../vle/ags';
import { DEFAULT_RETRY, type VleJobContext, type RetryPolicy } from '../vle/context';
import type { ToReadBack } from './read-back';
import type { GradeOutboxEntry, SentScore } from './outbox.model';
import { markFailedAttempt, putBack } from './outbox';
import { resolveLine, type ResolvedLine } from './resolve-line';
import { nextTimestamp, scoreFor } from './score';

/** The job behind a GradeOutboxEntry: post the candidate's wanted standing to one line item. */
export const retryPolicy: RetryPolicy = DEFAULT_RETRY;

const LINE_BUSY_DELAY_MS = 250; // another worker is finding or creating the line item right now

export type Outcome = 'sent' | 'retry' | 'failed' | 'deferred';
/**
 * A sent score is recorded by the caller, together with the rest of its batch (markSent); what the VLE made of it
 * is read back by the caller once the drain's posts are done (readBackSent: one read of the line item's results
 * when many were sent to it).
 */
export type Attempt = { outcome: 'sent'; sent: SentScore; toReadBack: ToReadBack } | { outcome: Exclude<Outcome, 'sent'> };

/** Resolved lines for one drain, so 200 entries for one course read their line once. */
export type LineCache = Map<string, Promise<ResolvedLine>>;

export async function perform(ctx: VleJobContext, entry: GradeOutboxEntry, lines: LineCache = new Map()): Promise<Attempt> {
  try {
    let pending = lines.get(entry.lineId);
    if (!pending) {
      pending = resolveLine(ctx, entry.lineId);
      lines.set(entry.lineId, pending);
    }
    const resolved = await pending.catch((e: unknown) => {
      lines.delete(entry.lineId); // a failure is this entry's to retry, not every entry's in the drain
      throw e;
    });
    if (!resolved.ok) {
      lines.delete(entry.lineId);
      await putBack(ctx, entry, LINE_BUSY_DELAY_MS);
      return { outcome: 'deferred' };
    }
    const line = resolved.line;
    const values = scoreFor(entry.wanted, line.scoreMaximum);
    const sent: SentScore = { ...values, timestamp: nextTimestamp(ctx.now(), entry.lastSent?.timestamp) };
    const target = { issuer: line.issuer, clientId: line.clientId };
    const scopes = agsScopes(line.scopes);
    await postScore(ctx.platform, target, scopes, line.lineItemUrl, { userId: entry.userSub, ...values, timestamp: sent.timestamp });
    // The post went through: what the VLE made of it is read back and reported, never retried (a retry would change nothing).
    return { outcome: 'sent', sent, toReadBack: { target, scopes, lineItemUrl: line.lineItemUrl, userId: entry.userSub, values } };
  } catch (e) {
    const outcome = await markFailedAttempt(ctx, entry, e);
    ctx.log.warn({ entry: String(entry._id), outcome, err: (e as Error).message, detail: (e as { detail?: string }).detail }, 'gradebook post did not go through');
    return { outcome };
  }
}
