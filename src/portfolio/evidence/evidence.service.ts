import { Types } from 'mongoose';
import { cleanFileName } from '../../http/file-names';
import type { Readable } from 'node:stream';
import { streamToSink } from '../../files';
import { AppError, notFound, tooLarge } from '../../http/errors';
import { Evidence, EvidenceDoc } from './evidence.model';
import { EvidenceDetails, LinkInput, ListFilter, NoteInput } from './evidence.schema';
import { checkFileType, ALLOWED_EXTENSIONS } from './file-types';
import { openFile, openUploadSink, removeFile } from './file-store';
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
  storageFull: (usedBytes: number, quotaBytes: number) =>
    `Your evidence storage is full: ${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)} used, so that file was not kept. Delete files you no longer need, or add a link to where the file is kept instead.`,
  notEnoughRoom: (usedBytes: number, quotaBytes: number) =>
    `That file would not fit in your evidence storage (${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)} used), so it was not kept. Delete files you no longer need, or add a link to where the file is kept instead.`,
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
/** A person's evidence across all their courses (newest first, bounded), for records that belong to the person (CPD). */
export async function evidenceOfPerson(userId: string, limit = 200): Promise<Array<{ id: string; title: string; kind: string }>> {
  const items = await Evidence.find({ ownerId: userId }, { title: 1, kind: 1 }).sort({ createdAt: -1 }).limit(limit).lean();
  return items.map((i) => ({ id: String(i._id), title: i.title, kind: i.kind }));
}

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
  stream: Readable | NodeJS.ReadableStream;
}

export interface UploadLimits {
  fileBytes: number;
  quotaBytes: number;
}

/** A file already in storage, waiting for its evidence item (or to be discarded if the form is refused). */
export interface StoredUpload {
  fileId: Types.ObjectId;
  filename: string;
  contentType: string;
  size: number;
}

const quotaFull = (usedBytes: number, quotaBytes: number) => new AppError(413, 'storage_full', FILE_MESSAGES.storageFull(usedBytes, quotaBytes));
const noRoom = (usedBytes: number, quotaBytes: number) => new AppError(413, 'storage_full', FILE_MESSAGES.notEnoughRoom(usedBytes, quotaBytes));

/** What a person's evidence files take up, across all their courses (the quota is theirs, not the course's). */
export async function storageUsed(ownerId: string): Promise<number> {
  const [row] = await Evidence.aggregate<{ bytes: number }>([
    { $match: { ownerId, kind: 'file' } },
    { $group: { _id: null, bytes: { $sum: '$file.size' } } },
  ]).exec();
  return row?.bytes ?? 0;
}

export interface StorageUse {
  usedBytes: number;
  quotaBytes: number;
  full: boolean;
}

export async function storageUse(owner: Owner, quotaBytes: number): Promise<StorageUse> {
  const usedBytes = await storageUsed(owner.userId);
  return { usedBytes, quotaBytes, full: usedBytes >= quotaBytes };
}

/**
 * Streams an upload into storage: refused from its first bytes if its type is wrong, and as soon as
 * it passes the file limit or the room left in the owner's quota. A refused upload leaves nothing stored.
 */
export async function receiveFile(owner: Owner, upload: Upload, limits: UploadLimits): Promise<StoredUpload> {
  const usedBytes = await storageUsed(owner.userId);
  if (usedBytes >= limits.quotaBytes) {
    upload.stream.resume();
    throw quotaFull(usedBytes, limits.quotaBytes);
  }
  const room = limits.quotaBytes - usedBytes;
  let typed: { extension: string; contentType: string } | undefined;
  const budget = room < limits.fileBytes
    ? { bytes: room, refuse: () => noRoom(usedBytes, limits.quotaBytes) }
    : { bytes: limits.fileBytes, refuse: () => tooLarge(FILE_MESSAGES.tooLarge(limits.fileBytes)) };
  const stored = await streamToSink(upload.stream, {
    headBytes: 8192,
    check(head) {
      if (head.length === 0) throw new AppError(422, 'empty_file', FILE_MESSAGES.empty);
      const verdict = checkFileType(upload.originalName, head);
      if (!verdict.ok) throw unsupportedType(verdict.reason === 'extension' ? FILE_MESSAGES.wrongExtension : FILE_MESSAGES.wrongContent);
      typed = verdict;
    },
    budget,
    open: () => openUploadSink({ filename: safeFilename(upload.originalName, typed!.extension), contentType: typed!.contentType, metadata: ownedBy(owner) }),
  });
  return { fileId: stored.id, filename: safeFilename(upload.originalName, typed!.extension), contentType: typed!.contentType, size: stored.size };
}

/** A stored upload whose form was refused: removed, so a refusal leaves no trace. */
export async function discardUpload(stored: StoredUpload | undefined): Promise<void> {
  if (stored) await removeFile(stored.fileId);
}

/**
 * Makes the evidence item for a stored upload. The quota is checked again once the item exists, so two
 * uploads racing for the last of the room cannot both be kept.
 */
export async function addFileEvidence(owner: Owner, details: EvidenceDetails, stored: StoredUpload | undefined, quotaBytes: number): Promise<EvidenceDoc> {
  if (!stored) throw new AppError(422, 'no_file', FILE_MESSAGES.noFile);
  let created;
  try {
    created = await Evidence.create({ ...ownedBy(owner), kind: 'file', ...detailsFields(details), file: stored });
  } catch (err) {
    await removeFile(stored.fileId); // never leave an orphaned file behind a failed save
    throw err;
  }
  const usedBytes = await storageUsed(owner.userId);
  if (usedBytes > quotaBytes) {
    await Evidence.deleteOne({ _id: created._id }).exec();
    await removeFile(stored.fileId);
    throw noRoom(usedBytes - stored.size, quotaBytes);
  }
  return created.toObject() as EvidenceDoc;
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
  const stem = cleanFileName(base.replace(/\.[^.]*$/, '')).slice(0, 120);
  return `${stem || 'evidence'}.${extension}`;
}

