import { Types } from 'mongoose';
import { AppError, notFound, tooLarge } from '../../http/errors';
import { Evidence, EvidenceDoc } from './evidence.model';
import { EvidenceDetails, LinkInput, ListFilter, NoteInput } from './evidence.schema';
import { checkFileType, ALLOWED_EXTENSIONS } from './file-types';
import { openFile, removeFile, storeFile } from './file-store';
import { changeExampleEvidence, UsedIn, unlinkEvidenceEverywhere, whereEvidenceIsUsed, withEvidence, withoutEvidence } from './usage';

/** The candidate whose library this is: always from the validated launch, never from a form. */
export interface Owner {
  courseId: string;
  userId: string;
}

export const FILE_MESSAGES = {
  noFile: 'Choose a file to upload.',
  tooLarge: (limitBytes: number) => `That file is too large. Files can be up to ${formatBytes(limitBytes)}.`,
  wrongExtension: `That type of file cannot be kept as evidence. You can upload: ${ALLOWED_EXTENSIONS.join(', ')}.`,
  wrongContent: 'That file’s contents do not match its name (for example, a program renamed to .pdf), so it was not kept.',
  empty: 'That file is empty.',
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export const unsupportedType = (message: string) => new AppError(415, 'unsupported_type', message);

const toDate = (value: string) => (value ? new Date(`${value}T00:00:00Z`) : undefined);
const ownedBy = (owner: Owner) => ({ courseId: owner.courseId, ownerId: owner.userId });
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listEvidence(owner: Owner, filter: ListFilter = {}): Promise<EvidenceDoc[]> {
  const query: Record<string, unknown> = ownedBy(owner);
  if (filter.kind) query.kind = filter.kind;
  if (filter.tag) query.tags = { $regex: `^${escapeRegex(filter.tag)}$`, $options: 'i' };
  if (filter.q) query.title = { $regex: escapeRegex(filter.q), $options: 'i' };
  return Evidence.find(query).sort({ createdAt: -1 }).lean<EvidenceDoc[]>().exec();
}

/** The owner's items among `ids` (an export's evidence); ids of other people's items are simply absent. */
export async function listEvidenceByIds(owner: Owner, ids: string[]): Promise<EvidenceDoc[]> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  return Evidence.find({ ...ownedBy(owner), _id: { $in: valid } }).lean<EvidenceDoc[]>().exec();
}

/** Any item by id, for the route to put before the policy; a malformed id is simply not found. */
export async function findEvidence(id: string): Promise<EvidenceDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return Evidence.findById(id).lean<EvidenceDoc>().exec();
}

export async function tagsInUse(owner: Owner): Promise<string[]> {
  const items = await Evidence.find(ownedBy(owner), { tags: 1 }).lean<Array<{ tags: string[] }>>().exec();
  const tags = new Map<string, string>();
  for (const item of items) for (const tag of item.tags ?? []) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
  return [...tags.values()].sort((a, b) => a.localeCompare(b));
}

export interface Upload {
  originalName: string;
  bytes: Buffer;
}

/** Checks size and type before anything is written; a refused file leaves no trace. */
export async function addFileEvidence(owner: Owner, details: EvidenceDetails, upload: Upload | undefined, limitBytes: number): Promise<EvidenceDoc> {
  if (!upload) throw new AppError(422, 'no_file', FILE_MESSAGES.noFile);
  if (upload.bytes.length > limitBytes) throw tooLarge(FILE_MESSAGES.tooLarge(limitBytes));
  if (upload.bytes.length === 0) throw new AppError(422, 'empty_file', FILE_MESSAGES.empty);
  const verdict = checkFileType(upload.originalName, upload.bytes);
  if (!verdict.ok) throw unsupportedType(verdict.reason === 'extension' ? FILE_MESSAGES.wrongExtension : FILE_MESSAGES.wrongContent);
  const filename = safeFilename(upload.originalName, verdict.extension);
  const fileId = await storeFile({ filename, contentType: verdict.contentType, bytes: upload.bytes, metadata: ownedBy(owner) });
  try {
    const created = await Evidence.create({
      ...ownedBy(owner),
      kind: 'file',
      ...detailsFields(details),
      file: { fileId, filename, contentType: verdict.contentType, size: upload.bytes.length },
    });
    return created.toObject() as EvidenceDoc;
  } catch (err) {
    await removeFile(fileId); // never leave an orphaned file behind a failed save
    throw err;
  }
}

export async function addLinkEvidence(owner: Owner, input: LinkInput): Promise<EvidenceDoc> {
  const created = await Evidence.create({ ...ownedBy(owner), kind: 'link', ...detailsFields(input), url: input.url });
  return created.toObject() as EvidenceDoc;
}

export async function addNoteEvidence(owner: Owner, input: NoteInput): Promise<EvidenceDoc> {
  const created = await Evidence.create({ ...ownedBy(owner), kind: 'note', ...detailsFields(input), text: input.text });
  return created.toObject() as EvidenceDoc;
}

/** Edits the details (and the address of a link or the text of a note); the kind never changes. */
export async function updateEvidence(item: EvidenceDoc, input: EvidenceDetails & { url?: string; text?: string }): Promise<EvidenceDoc> {
  const set: Record<string, unknown> = detailsFields(input);
  const unset: Record<string, 1> = {};
  if (!input.date) unset.date = 1;
  delete set.date;
  if (input.date) set.date = toDate(input.date);
  if (item.kind === 'link' && input.url !== undefined) set.url = input.url;
  if (item.kind === 'note' && input.text !== undefined) set.text = input.text;
  const updated = await Evidence.findOneAndUpdate(
    { _id: item._id, courseId: item.courseId, ownerId: item.ownerId },
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { new: true },
  )
    .lean<EvidenceDoc>()
    .exec();
  if (!updated) throw notFound('That evidence has been deleted.');
  return updated;
}

export function openEvidenceFile(item: EvidenceDoc) {
  if (item.kind !== 'file' || !item.file) throw notFound('That evidence has no file to download.');
  return openFile(item.file.fileId as Types.ObjectId);
}

export async function usageOf(owner: Owner): Promise<Map<string, UsedIn[]>> {
  return whereEvidenceIsUsed(owner);
}

export async function usageOfOne(owner: Owner, evidenceId: string): Promise<UsedIn[]> {
  return (await whereEvidenceIsUsed(owner)).get(evidenceId) ?? [];
}

/** A fingerprint of where an item is used, so a confirmation is only good for what the candidate saw. */
export function usageFingerprint(uses: UsedIn[]): string {
  return uses
    .map((u) => `${u.areaId}/${u.exampleId}`)
    .sort()
    .join(',');
}

export type DeleteOutcome = { outcome: 'deleted' } | { outcome: 'needs-confirmation'; usedIn: UsedIn[] };

/**
 * Deleting evidence that is in use asks first: without a confirmation matching where it is used now,
 * nothing changes. Confirmed: the links come off those examples, then the file and the item go.
 */
export async function deleteEvidence(owner: Owner, item: EvidenceDoc, confirmation?: { confirmed: boolean; usedInSeen: string }): Promise<DeleteOutcome> {
  const usedIn = await usageOfOne(owner, String(item._id));
  const seenNow = usageFingerprint(usedIn);
  if (!confirmation?.confirmed || confirmation.usedInSeen !== seenNow) return { outcome: 'needs-confirmation', usedIn };
  if (usedIn.length) await unlinkEvidenceEverywhere(owner, String(item._id), usedIn, owner.userId);
  await Evidence.deleteOne({ _id: item._id, courseId: owner.courseId, ownerId: owner.userId }).exec();
  if (item.file?.fileId) await removeFile(item.file.fileId as Types.ObjectId);
  return { outcome: 'deleted' };
}

/** Links one of the candidate's own items to one of their examples (the route has checked both are theirs). */
export async function attachEvidence(owner: Owner, item: EvidenceDoc, target: { sectionId: string; exampleId: string }): Promise<void> {
  await changeExampleEvidence(owner, target.sectionId, target.exampleId, withEvidence(String(item._id)), owner.userId);
}

export async function detachEvidence(owner: Owner, item: EvidenceDoc, target: { sectionId: string; exampleId: string }): Promise<void> {
  await changeExampleEvidence(owner, target.sectionId, target.exampleId, withoutEvidence(String(item._id)), owner.userId);
}

function detailsFields(details: EvidenceDetails) {
  return {
    title: details.title,
    date: toDate(details.date),
    description: details.description,
    tags: details.tags,
  };
}

/** Keeps the candidate's name for the download but strips paths and characters that upset headers. */
export function safeFilename(original: string, extension: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const stem = base
    .replace(/\.[^.]*$/, '')
    .replace(/[\u0000-\u001f\u007f"<>:|?*;]/g, '')
    .trim()
    .slice(0, 120);
  return `${stem || 'evidence'}.${extension}`;
}

