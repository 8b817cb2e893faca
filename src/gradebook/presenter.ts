import { whenUtc as when } from '../http/dates';
import type { GradeOutboxEntry } from './outbox.model';
import type { GradebookOverview } from './service';

export interface SyncRow {
  candidateId: string;
  name: string;
  comment: string;
  state: 'not_queued' | 'pending' | 'sending' | 'sent' | 'failed';
  stateLabel: string;
  detail: string;
  sentAt: string; // what the VLE last received, and when
}

export interface GradebookPage {
  hasLine: boolean;
  lastSuccess: string;
  rows: SyncRow[];
  failedCount: number;
}

const LABELS: Record<SyncRow['state'], string> = {
  not_queued: 'Not queued yet',
  pending: 'Waiting to send',
  sending: 'Sending now',
  sent: 'Sent',
  failed: 'Failed',
};

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
    const state = rowState(c.entries);
    const lastSent = c.entries.filter((e) => e.lastSentAt).sort((a, b) => +b.lastSentAt! - +a.lastSentAt!)[0];
    return {
      candidateId: c.candidateId,
      name: c.name,
      comment: c.comment,
      state,
      stateLabel: LABELS[state],
      detail: detailOf(state, c.entries),
      sentAt: lastSent?.lastSent
        ? `${lastSent.lastSent.scoreGiven} / ${lastSent.lastSent.scoreMaximum} on ${when(lastSent.lastSentAt)}`
        : 'Nothing sent yet',
    };
  });
  return {
    hasLine: overview.hasLine,
    lastSuccess: overview.lastSuccessAt ? when(overview.lastSuccessAt) : '',
    rows,
    failedCount: rows.filter((r) => r.state === 'failed').length,
  };
}
