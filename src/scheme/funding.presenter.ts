import { when } from '../http/dates';
import type { SubmissionRecord } from '../export';
import type { fundingOverview } from './funding.service';
import { money } from './money';


function readiness(r: SubmissionRecord | null): string {
  if (!r) return 'no portfolio yet';
  if (r.submitted) return r.stageLabel.toLowerCase();
  return r.signedOff ? 'signed off, ready to submit' : 'not signed off yet';
}

type Overview = NonNullable<Awaited<ReturnType<typeof fundingOverview>>>;

export function presentFunding(o: Overview) {
  return {
    fy: o.fy.label,
    used: o.used,
    funded: o.funded,
    left: Math.max(0, o.funded - o.used),
    fee: money(o.feePence),
    hasFee: o.feePence > 0,
    spend: money(o.spendPence),
    budget: money(o.budgetPence),
    // signed off at final review first: the tool's own sign that a portfolio is ready to submit
    eligible: [...o.eligible]
      .sort((x, y) => Number(Boolean(y.record?.signedOff)) - Number(Boolean(x.record?.signedOff)))
      .map(({ application: a, record }) => ({ id: String(a._id), label: `${a.name}${a.site ? ` (${a.site})` : ''}: ${readiness(record)}` })),
    items: o.items.map(({ allocation: a, record }) => ({
      id: String(a._id),
      name: a.name || 'Unnamed candidate',
      site: a.site,
      fy: a.fy,
      allocatedAt: when(a.allocatedAt),
      active: !a.releasedAt,
      released: a.releasedAt ? `Released on ${when(a.releasedAt)}${a.releaseReason ? `: ${a.releaseReason}` : ''}` : '',
      outcome: record?.stageLabel ?? 'No portfolio yet',
    })),
    total: o.total,
    page: o.page,
    pages: o.pages,
  };
}
