import { when as dateTime } from '../http/dates';
import type { Check } from './check';
import type { ExportFormat, ExportJobDoc } from './job.model';
import { formatBytes } from './reading.presenter';

export const FORMAT_LABELS: Record<ExportFormat, string> = { pdf: 'PDF', zip: 'Website (zip, with Leap2A for Mahara)' };
const VERDICTS = {
  over_limit: 'Over ALT’s 25 MB limit: submit an assessor link instead, where large evidence stays downloadable.',
  over_advice: 'Over the 10 MB ALT advises (email systems block large files): consider an assessor link instead.',
  fine: 'Within ALT’s advice of 10 MB.',
};

export interface JobState {
  state: 'none' | 'queued' | 'running' | 'done' | 'stale' | 'failed';
  message: string;
  downloadHref: string;
}

export function jobState(entry: { job: ExportJobDoc; current: boolean } | null, href: (jobId: string) => string): JobState {
  if (!entry) return { state: 'none', message: 'Not built yet.', downloadHref: '' };
  const { job, current } = entry;
  if (job.status === 'done') {
    const built = `built ${dateTime(job.finishedAt ?? job.createdAt)}, ${formatBytes(job.resultSize)}`;
    return current
      ? { state: 'done', message: `Ready: ${built}.`, downloadHref: href(String(job._id)) }
      : { state: 'stale', message: `The portfolio has changed since the last one was ${built}. Build it again for an up-to-date file.`, downloadHref: href(String(job._id)) };
  }
  if (!current) return { state: 'none', message: 'Not built for the portfolio as it is now.', downloadHref: '' };
  if (job.status === 'failed') return { state: 'failed', message: job.error || 'The export could not be built.', downloadHref: '' };
  if (job.status === 'queued') return { state: 'queued', message: 'Waiting to start.', downloadHref: '' };
  return { state: 'running', message: `Building: ${job.progress || 'starting'}.`, downloadHref: '' };
}

export function checkPresenter(check: Check, readHref: string) {
  return {
    missing: check.findings.filter((f) => f.level === 'missing').map((f) => ({ text: f.text, href: f.href ? `${readHref}${f.href}` : '' })),
    warnings: check.findings.filter((f) => f.level === 'warning').map((f) => ({ text: f.text, href: f.href ? `${readHref}${f.href}` : '' })),
    links: check.links,
    sizes: check.sizes.map((s) => ({ format: FORMAT_LABELS[s.format], size: `about ${formatBytes(s.bytes)}`, verdict: VERDICTS[s.verdict], over: s.verdict !== 'fine' })),
  };
}
