import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The referee's link: request id and expiry, signed with the tool's key. Only the tool can make one;
 * changing either part breaks the signature; the request's own record is checked as well.
 */
const sign = (key: string, id: string, expires: number) => createHmac('sha256', key).update(`referee\n${id}\n${expires}`).digest('base64url');

export function refereeToken(key: string, id: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${id}.${expires}.${sign(key, id, expires)}`;
}

export type TokenCheck = { ok: true; id: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'expired' };

export function checkRefereeToken(key: string, token: string, now = new Date()): TokenCheck {
  const m = /^([a-f0-9]{24})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, id, e, mac] = m;
  const expected = Buffer.from(sign(key, id, Number(e)));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(Number(e) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id, expiresAt };
}
