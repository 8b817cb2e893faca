import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { storeFile } from '../portfolio';
import type { Book } from './book';
import { readStoredFile } from './files';
import { AssessorLink, AssessorOpening, FrozenCopy, type AssessorLinkDoc, type AssessorOpeningDoc, type FrozenCopyDoc } from './assessor.model';

/** Assessor links: made, listed, changed and revoked by the people in the course; resolved for visitors. */

export const DEFAULT_EXPIRY_MONTHS = 4; // ALT aims to decide within three months; a month to spare
export const MAX_EXPIRY_DAYS = 366;
export const LINKS_PER_PAGE = 10;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url: 256 bits
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I to misread

export const LINK_MESSAGES = {
  badExpiry: `Choose an expiry date between tomorrow and ${MAX_EXPIRY_DAYS} days from now.`,
  noLink: 'We could not find that link for this portfolio.',
  revoked: 'That link was already revoked.',
};

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function defaultExpiry(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() + DEFAULT_EXPIRY_MONTHS);
  return d;
}

/** An expiry the person chose ("2027-04-05"): the end of that day, within the allowed range, or null. */
export function expiryFrom(value: string, now: Date): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const end = new Date(`${value}T23:59:59Z`);
  if (Number.isNaN(end.getTime())) return null;
  const days = (end.getTime() - now.getTime()) / 86_400_000;
  return days > 0 && days <= MAX_EXPIRY_DAYS ? end : null;
}

const hashCode = (code: string, salt = randomBytes(16).toString('hex')) => `${salt}:${scryptSync(code.toUpperCase(), salt, 32).toString('hex')}`;

/** Copies the Book and every cited file, so later edits and deletions do not reach the assessors' copy. */
export async function freezeCopy(book: Book): Promise<FrozenCopyDoc> {
  const owner = { courseId: book.courseId, ownerId: `frozen:${book.portfolioId}` };
  const evidence = [];
  for (const e of book.evidence) {
    if (!e.file) {
      evidence.push(e);
      continue;
    }
    const bytes = await readStoredFile(e.file.fileId);
    const fileId = bytes ? String(await storeFile({ filename: e.file.filename, contentType: e.file.contentType, bytes, metadata: owner })) : '';
    evidence.push({ ...e, file: { ...e.file, fileId } }); // '' : the file was already missing; it stays listed as missing
  }
  const created = await FrozenCopy.create({ courseId: book.courseId, portfolioId: book.portfolioId, book: { ...book, evidence } });
  return created.toObject() as FrozenCopyDoc;
}

export interface NewLink {
  link: AssessorLinkDoc;
  token: string; // shown once, to the person who made it
  code: string | null;
}

export async function createLink(input: { book: Book; by: { userId: string; name: string }; expiresAt: Date; withCode: boolean }): Promise<NewLink> {
  const copy = await freezeCopy(input.book);
  const token = randomBytes(32).toString('base64url');
  const code = input.withCode ? Array.from(randomBytes(10), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('') : null;
  const link = await AssessorLink.create({
    courseId: input.book.courseId,
    portfolioId: input.book.portfolioId,
    candidateId: input.book.candidate.userId,
    tokenHash: sha256(token),
    codeHash: code ? hashCode(code) : null,
    frozenCopy: copy._id,
    createdBy: input.by.userId,
    createdByName: input.by.name,
    expiresAt: input.expiresAt,
  });
  return { link: link.toObject() as AssessorLinkDoc, token, code };
}

export async function linksOf(portfolioId: string, page: number) {
  const [links, total] = await Promise.all([
    AssessorLink.find({ portfolioId }).sort({ createdAt: -1 }).skip((page - 1) * LINKS_PER_PAGE).limit(LINKS_PER_PAGE).lean<AssessorLinkDoc[]>(),
    AssessorLink.countDocuments({ portfolioId }),
  ]);
  const openings = await AssessorOpening.find({ link: { $in: links.map((l) => l._id) } }).sort({ at: -1 }).limit(200).lean<AssessorOpeningDoc[]>();
  return { links, total, openings };
}

async function ownLink(portfolioId: string, linkId: string): Promise<AssessorLinkDoc | null> {
  if (!Types.ObjectId.isValid(linkId)) return null;
  return AssessorLink.findOne({ _id: linkId, portfolioId }).lean<AssessorLinkDoc>();
}

export type LinkChange = { ok: true } | { ok: false; status: number; message: string };

export async function revokeLink(portfolioId: string, linkId: string, now: Date): Promise<LinkChange> {
  const link = await ownLink(portfolioId, linkId);
  if (!link) return { ok: false, status: 404, message: LINK_MESSAGES.noLink };
  if (link.revokedAt) return { ok: false, status: 409, message: LINK_MESSAGES.revoked };
  await AssessorLink.updateOne({ _id: link._id, revokedAt: null }, { $set: { revokedAt: now } });
  return { ok: true };
}

export async function changeExpiry(portfolioId: string, linkId: string, value: string, now: Date): Promise<LinkChange> {
  const expiresAt = expiryFrom(value, now);
  if (!expiresAt) return { ok: false, status: 422, message: LINK_MESSAGES.badExpiry };
  const link = await ownLink(portfolioId, linkId);
  if (!link) return { ok: false, status: 404, message: LINK_MESSAGES.noLink };
  if (link.revokedAt) return { ok: false, status: 409, message: LINK_MESSAGES.revoked };
  await AssessorLink.updateOne({ _id: link._id }, { $set: { expiresAt } });
  return { ok: true };
}

export type Resolved = { ok: true; link: AssessorLinkDoc } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** What a visitor's token opens; a malformed token is not looked up at all. */
export async function resolveToken(token: string, now: Date): Promise<Resolved> {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const link = await AssessorLink.findOne({ tokenHash: sha256(token) }).lean<AssessorLinkDoc>();
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.revokedAt) return { ok: false, reason: 'revoked' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, link };
}

export function codeMatches(link: AssessorLinkDoc, given: string): boolean {
  if (!link.codeHash) return true;
  const [salt, hash] = link.codeHash.split(':');
  const cleaned = given.replace(/[\s-]/g, '').slice(0, 40);
  if (!cleaned) return false;
  const candidate = Buffer.from(hashCode(cleaned, salt).split(':')[1], 'hex');
  return timingSafeEqual(candidate, Buffer.from(hash, 'hex'));
}

/**
 * After a right access code, the page's download links carry this key instead of a cookie: an HMAC of the
 * link and an expiry an hour ahead, so a copied download URL stops working soon and never outlives the link.
 */
export function accessKey(secret: string, link: AssessorLinkDoc, now: Date): string {
  const until = Math.min(now.getTime() + 3_600_000, link.expiresAt.getTime());
  return `${until}.${createHmac('sha256', secret).update(`${link.tokenHash}:${until}`).digest('base64url')}`;
}

export function accessKeyValid(secret: string, link: AssessorLinkDoc, key: string, now: Date): boolean {
  const [untilText, mac] = key.split('.');
  const until = Number(untilText);
  if (!Number.isFinite(until) || until < now.getTime() || !mac) return false;
  const expected = createHmac('sha256', secret).update(`${link.tokenHash}:${until}`).digest();
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function frozenCopyOf(link: AssessorLinkDoc): Promise<FrozenCopyDoc | null> {
  return FrozenCopy.findById(link.frozenCopy).lean<FrozenCopyDoc>();
}

/** Logs an opening with the visitor's network (IPv4 /24, IPv6 /48) and browser family, never more. */
export async function recordOpening(link: AssessorLinkDoc, visitor: { ip: string; userAgent: string }, now: Date): Promise<void> {
  await AssessorOpening.create({ link: link._id, portfolioId: link.portfolioId, network: networkOf(visitor.ip), browser: browserOf(visitor.userAgent), at: now });
  await AssessorLink.updateOne({ _id: link._id }, { $inc: { openings: 1 } });
}

export function networkOf(ip: string): string {
  const v4 = ip.replace(/^::ffff:/, '').match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) return `${ip.split(':').slice(0, 3).join(':')}::/48`;
  return 'unknown network';
}

export function browserOf(userAgent: string): string {
  const ua = userAgent.slice(0, 512);
  const browser = [/Edg\//, /Firefox\//, /Chrome\//, /Safari\//].map((r, i) => (r.test(ua) ? ['Edge', 'Firefox', 'Chrome', 'Safari'][i] : '')).find(Boolean) ?? 'another browser';
  const system = [/Windows/, /Mac OS X|Macintosh/, /Android/, /iPhone|iPad/, /Linux/].map((r, i) => (r.test(ua) ? ['Windows', 'macOS', 'Android', 'iOS', 'Linux'][i] : '')).find(Boolean);
  return system ? `${browser} on ${system}` : browser;
}
