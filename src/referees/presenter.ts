import { dayOf } from '../http/dates';
import type { RefereeRequestDoc } from './referee.model';


/**
 * The candidate's list: who was asked and whether their statement arrived. The statement itself is
 * shown only where the scheme lets candidates read it.
 */
export function refereesPresenter(input: { requests: RefereeRequestDoc[]; canAsk: boolean; now: Date; rule: { min: number; max: number; candidateSeesText: boolean } }) {
  return {
    need: input.rule.min === input.rule.max ? `${input.rule.min}` : `${input.rule.min} to ${input.rule.max}`,
    canAsk: input.canAsk,
    rows: input.requests.map((r) => ({
      name: r.refereeName,
      relationship: r.relationship,
      status: r.receivedAt ? `Arrived on ${dayOf(r.receivedAt)}` : r.expiresAt <= input.now ? 'Link expired: ask again' : `Waiting (link valid until ${dayOf(r.expiresAt)})`,
      arrived: Boolean(r.receivedAt),
      statementHtml: input.rule.candidateSeesText && r.receivedAt ? r.statement : null,
    })),
  };
}

/** The coordinator's page: each statement that arrived, with whose it is. */
export function courseStatementsPresenter(rows: Array<RefereeRequestDoc & { candidateName: string }>) {
  return rows.map((r) => ({
    candidate: r.candidateName,
    referee: r.refereeName,
    relationship: r.relationship,
    received: r.receivedAt ? dayOf(r.receivedAt) : '',
    statementHtml: r.statement, // sanitised when it arrived
  }));
}
