import PDFDocument from 'pdfkit';
import type { EntryDoc, TargetDoc } from './models';
import { KIND_LABELS } from './presenter';
import { toCsv } from '../http/csv';

/** The record for a period as CSV and PDF, and hours by kind and by target. Pure over the documents given. */

const day = (d: Date) => new Date(d).toISOString().slice(0, 10);

export function entriesCsv(entries: EntryDoc[], targets: TargetDoc[], mandatoryTitles: Map<string, string>): string {
  const titles = new Map(targets.map((t) => [String(t._id), t.title]));
  const head = ['Title', 'Kind', 'Start', 'End', 'Hours', 'Provider', 'Accredited', 'Cost (GBP)', 'Expense claimed', 'What I learned', 'How I will use it', 'Targets', 'Mandatory training', 'Submitted'];
  const rows = entries.map((e) => [
    e.title, KIND_LABELS[e.kind], day(e.startOn), day(e.endOn), e.hours, e.provider ?? '', e.accredited ? 'Yes' : 'No', (e.cost ?? 0).toFixed(2),
    e.expenseClaimed ? 'Yes' : 'No', e.reflection ?? '', e.use ?? '', (e.targetIds ?? []).map((id) => titles.get(id) ?? '').filter(Boolean).join('; '),
    e.mandatoryItem ? mandatoryTitles.get(e.mandatoryItem) ?? e.mandatoryItem : '', e.submissionId ? 'Yes' : 'No',
  ]);
  return toCsv(head, rows);
}

export interface HoursSummary {
  total: number;
  byKind: Array<{ label: string; hours: number }>;
  byTarget: Array<{ label: string; hours: number }>;
}

export function hoursSummary(entries: EntryDoc[], targets: TargetDoc[]): HoursSummary {
  const byKind = new Map<string, number>();
  const byTarget = new Map<string, number>();
  for (const e of entries) {
    byKind.set(KIND_LABELS[e.kind], (byKind.get(KIND_LABELS[e.kind]) ?? 0) + e.hours);
    const linked = (e.targetIds ?? []).length ? e.targetIds : [''];
    for (const id of linked) byTarget.set(id, (byTarget.get(id) ?? 0) + e.hours);
  }
  const titles = new Map(targets.map((t) => [String(t._id), t.title]));
  return {
    total: entries.reduce((n, e) => n + e.hours, 0),
    byKind: [...byKind].map(([label, hours]) => ({ label, hours })).sort((a, b) => b.hours - a.hours),
    byTarget: [...byTarget].map(([id, hours]) => ({ label: id ? titles.get(id) ?? 'A removed target' : 'Not linked to a target', hours })).sort((a, b) => b.hours - a.hours),
  };
}

/** A plain PDF: heading, hours summary, then each activity. pdfkit writes text only, nothing from a file is run. */
export function entriesPdf(title: string, person: string, entries: EntryDoc[], targets: TargetDoc[], sections: Array<{ title: string; text: string }> = []): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Author: person } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(18).text(title).moveDown(0.3).fontSize(11).text(person).moveDown();
  for (const s of sections) doc.fontSize(14).text(s.title).fontSize(10).text(s.text || '—').moveDown();
  const summary = hoursSummary(entries, targets);
  doc.fontSize(14).text(`Hours: ${summary.total}`).fontSize(10);
  for (const k of summary.byKind) doc.text(`${k.label}: ${k.hours}`);
  doc.moveDown(0.5).fontSize(12).text('By target').fontSize(10);
  for (const t of summary.byTarget) doc.text(`${t.label}: ${t.hours}`);
  doc.moveDown();
  for (const e of entries) {
    doc.fontSize(13).text(e.title).fontSize(10).text(`${KIND_LABELS[e.kind]} · ${day(e.startOn)} to ${day(e.endOn)} · ${e.hours} hours${e.provider ? ` · ${e.provider}` : ''}${e.accredited ? ' · accredited' : ''}`);
    if (e.reflection) doc.text(`What I learned: ${e.reflection}`);
    if (e.use) doc.text(`How I will use it: ${e.use}`);
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}
