import { when } from '../http/dates';
import type { GradeOutboxEntry, SentScore } from './outbox.model';
import type { GradebookOverview } from './service';

export interface SyncRow {
  candidateId: string;
  name: string;
  comment: string;
  state: 'not_queued' | 'pending' | 'sending' | 'sent' | 'not_kept' | 'failed';
  stateLabel: string;
  detail: string;
  sentAt: string; // what the VLE last received, and when
  inVle: string; // what the VLE's gradebook held when read back, or why that is not known
  todo: string; // what to do when the VLE did not keep what was sent
}

export interface GradebookPage {
  hasLine: boolean;
  lastSuccess: string;
  rows: SyncRow[];
  failedCount: number;
  total: number;
  notKeptCount: number;
}

const LABELS: Record<SyncRow['state'], string> = {
  not_queued: 'Not queued yet',
  pending: 'Waiting to send',
  sending: 'Sending now',
  sent: 'Sent',
  not_kept: 'Not kept by the VLE',
  failed: 'Failed',
};

export const READ_BACK_TEXT = {
  notKept: 'The VLE did not keep the score: it shows no grade for this candidate.',
  notKeptTodo:
    'Check that the VLE accepts grades from CMALT Portfolio (Moodle: the tool’s “Accept grades from the tool” is “Always”), then choose “Sync now”.',
  differsTodo: 'Someone may have changed the grade in the VLE’s gradebook. Check it there, or choose “Sync now” to send the progress score again.',
};

const score = (n: number | null | undefined, max: number | null | undefined) => `${Math.round((n ?? 0) * 100) / 100} / ${max ?? 0}`;

/** "In the VLE: 80 / 100", or why the VLE's own figure is not that, from the read-back after the last post. */
function inVleOf(sent: SentScore | null | undefined): { inVle: string; todo: string; kept: boolean } {
  const rb = sent?.readBack;
  if (!sent) return { inVle: '', todo: '', kept: true };
  if (!rb) return { inVle: 'Not read back from the VLE yet.', todo: '', kept: true };
  if (rb.state === 'kept') {
    return { inVle: rb.resultScore == null ? 'In the VLE: no grade yet (nothing written).' : `In the VLE: ${score(rb.resultScore, rb.resultMaximum)}`, todo: '', kept: true };
  }
  if (rb.state === 'not_kept') return { inVle: READ_BACK_TEXT.notKept, todo: READ_BACK_TEXT.notKeptTodo, kept: false };
  if (rb.state === 'differs') {
    return { inVle: `The VLE holds ${score(rb.resultScore, rb.resultMaximum)}, not the ${score(sent.scoreGiven, sent.scoreMaximum)} sent.`, todo: READ_BACK_TEXT.differsTodo, kept: false };
  }
  return { inVle: `Not known: ${rb.detail ?? 'the VLE could not be read back.'}`, todo: '', kept: true };
}

function rowState(entries: GradeOutboxEntry[]): SyncRow['state'] {
  const order: SyncRow['state'][] = ['failed', 'sending', 'pending', 'sent'];
  return order.find((s) => entries.some((e) => e.status === s)) ?? 'not_queued';
}

function detailOf(state: SyncRow['state'], entries: GradeOutboxEntry[]): string {
  const worst = entries.find((e) => e.status === state);
  if (!worst) return 'The gradebook will pick this candidate up within a minute.';
  if (state === 'failed') return `${worst.lastError ?? 'The VLE did not accept the grade.'} Tried ${worst.attempts} time${worst.attempts === 1 ? '' : 's'}.`;
  if (state === 'pending' && worst.attempts > 0) return `Trying again after ${when(worst.nextAttemptAt)}. Last try: ${worst.lastError ?? 'no answer'}`;
  if (state === 'pending') return 'Queued to send.';
  if (state === 'sending') return 'Posting to the VLE now.';
  return '';
}

export function presentGradebook(overview: GradebookOverview): GradebookPage {
  const rows = overview.candidates.map((c) => {
    const lastSent = c.entries.filter((e) => e.lastSentAt).sort((a, b) => +b.lastSentAt! - +a.lastSentAt!)[0];
    const vle = inVleOf(lastSent?.lastSent);
    const queued = rowState(c.entries);
    const state: SyncRow['state'] = queued === 'sent' && !vle.kept ? 'not_kept' : queued;
    return {
      candidateId: c.candidateId,
      name: c.name,
      comment: c.comment,
      state,
      stateLabel: LABELS[state],
      detail: state === 'not_kept' ? '' : detailOf(state, c.entries),
      inVle: vle.inVle,
      todo: vle.todo,
      sentAt: lastSent?.lastSent
        ? `${lastSent.lastSent.scoreGiven} / ${lastSent.lastSent.scoreMaximum} on ${when(lastSent.lastSentAt)}`
        : 'Nothing sent yet',
    };
  });
  return {
    hasLine: overview.hasLine,
    lastSuccess: overview.lastSuccessAt ? when(overview.lastSuccessAt) : '',
    rows,
    failedCount: overview.failedCount, // across the course, not only this page
    total: overview.total,
    notKeptCount: rows.filter((r) => r.state === 'not_kept').length, // on this page: read back from the VLE per row
  };
}
