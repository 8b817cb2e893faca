import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from './same-secret';

/**
 * Signed, expiring, single-purpose links for people without a VLE account (line managers, assessors, referees).
 * The token carries a purpose, a subject id, a nonce and an expiry, signed with a key derived from the LTI key
 * for that purpose, so a token made for one purpose never opens another. Single use is the caller's: it keeps
 * the nonce with the thing the link opens and spends it in the same atomic update that acts on it.
 */
export interface SignedLink {
  subject: string;
  nonce: string;
  expiresAt: Date;
}

export type LinkCheck = { ok: true; link: SignedLink } | { ok: false; reason: 'tampered' | 'expired' };

const keyFor = (secret: string, purpose: string) => createHmac('sha256', secret).update(`signed-link:${purpose}`).digest();
const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');

export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function signLink(secret: string, purpose: string, link: SignedLink): string {
  const body = Buffer.from(JSON.stringify({ s: link.subject, n: link.nonce, e: link.expiresAt.getTime() })).toString('base64url');
  return `${body}.${sign(keyFor(secret, purpose), body)}`;
}

/** Checks the signature, then the expiry at `now`. A token longer than any we make is refused unread. */
export function checkLink(secret: string, purpose: string, token: string, now: Date): LinkCheck {
  if (token.length > 500 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return { ok: false, reason: 'tampered' };
  const [body, sig] = token.split('.');
  if (!sameSecret(sig, sign(keyFor(secret, purpose), body))) return { ok: false, reason: 'tampered' };
  let data: { s?: unknown; n?: unknown; e?: unknown };
  try {
    data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof data;
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (typeof data.s !== 'string' || typeof data.n !== 'string' || typeof data.e !== 'number') return { ok: false, reason: 'tampered' };
  if (data.e <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, link: { subject: data.s, nonce: data.n, expiresAt: new Date(data.e) } };
}
