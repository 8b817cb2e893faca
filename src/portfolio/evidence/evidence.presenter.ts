import { day } from '../../http/dates';
import { EvidenceDoc, EvidenceKind } from './evidence.model';
import { ALLOWED_TYPES, extensionOf } from './file-types';
import { formatBytes, usageFingerprint, type StorageUse } from './evidence.service';
import type { UsedIn } from './usage';

/** What the evidence pages receive: plain objects, never mongoose documents. */

export const KIND_LABELS: Record<EvidenceKind, string> = { file: 'File', link: 'Link', note: 'Note' };

// Images a browser shows safely in an <img> (no SVG: it can carry script); anything else is only downloaded.
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** An image file, shown as a thumbnail beside the example and on its own page. */
export const hasPreview = (item: Pick<EvidenceDoc, 'kind' | 'file'>): boolean =>
  item.kind === 'file' && Boolean(item.file) && PREVIEW_TYPES.has(item.file!.contentType);

/** One item as an example's list of evidence shows it. */
export interface EvidenceBrief {
  id: string;
  title: string;
  kindLabel: string;
  preview: boolean;
}

export const presentBrief = (item: EvidenceDoc): EvidenceBrief => ({
  id: String(item._id),
  title: item.title,
  kindLabel: KIND_LABELS[item.kind as EvidenceKind] ?? 'Evidence',
  preview: hasPreview(item),
});

export interface EvidenceView {
  id: string;
  kind: EvidenceKind;
  kindLabel: string;
  title: string;
  date: string; // shown: "14 March 2025", or ''
  dateValue: string; // for <input type="date">: "2025-03-14", or ''
  description: string;
  descriptionParagraphs: string[];
  tags: string[];
  tagsValue: string;
  url?: string;
  urlHost?: string;
  text?: string;
  textParagraphs?: string[];
  file?: { filename: string; size: string; typeLabel: string };
  preview: boolean;
  usedIn: UsedIn[];
  usedInSummary: string;
  usedInSeen: string;
}


export function usedInSummary(usedIn: UsedIn[]): string {
  if (usedIn.length === 0) return 'Not used in any example yet';
  const areas = new Set(usedIn.map((u) => u.areaId)).size;
  const examples = usedIn.length === 1 ? '1 example' : `${usedIn.length} examples`;
  return `Used in ${examples}${areas > 1 ? ` across ${areas} areas` : ''}`;
}

export function presentEvidence(item: EvidenceDoc, usedIn: UsedIn[] = []): EvidenceView {
  const date = item.date ? new Date(item.date) : undefined;
  const view: EvidenceView = {
    id: String(item._id),
    kind: item.kind as EvidenceKind,
    kindLabel: KIND_LABELS[item.kind as EvidenceKind] ?? 'Evidence',
    title: item.title,
    date: date ? day(date) : '',
    dateValue: date ? date.toISOString().slice(0, 10) : '',
    description: item.description ?? '',
    descriptionParagraphs: paragraphs(item.description ?? ''),
    tags: item.tags ?? [],
    tagsValue: (item.tags ?? []).join(', '),
    preview: hasPreview(item),
    usedIn,
    usedInSummary: usedInSummary(usedIn),
    usedInSeen: usageFingerprint(usedIn),
  };
  if (item.kind === 'link' && item.url) {
    view.url = item.url;
    view.urlHost = hostOf(item.url);
  }
  if (item.kind === 'note') {
    view.text = item.text ?? '';
    view.textParagraphs = paragraphs(view.text);
  }
  if (item.kind === 'file' && item.file) {
    view.file = {
      filename: item.file.filename,
      size: formatBytes(item.file.size),
      typeLabel: ALLOWED_TYPES[extensionOf(item.file.filename)]?.label ?? 'File',
    };
  }
  return view;
}

/** Plain text shown as paragraphs: each line the candidate typed stays a line. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** A form's values when it is shown again after a mistake: what the candidate typed, unchanged. */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['title', 'date', 'description', 'tags', 'url', 'text']) {
    const v = body[key];
    out[key] = typeof v === 'string' ? v : '';
  }
  return out;
}

export interface StorageView {
  text: string; // "38 MB of 200 MB used"
  percent: number;
  full: boolean;
}

export function presentStorage(use: StorageUse): StorageView {
  const percent = Math.min(100, Math.round((use.usedBytes / use.quotaBytes) * 100));
  return { text: `${formatBytes(use.usedBytes)} of ${formatBytes(use.quotaBytes)} used`, percent, full: use.full };
}
