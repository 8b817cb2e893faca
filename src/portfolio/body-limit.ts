import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { AppError } from '../http/errors';

/**
 * How much a portfolio form or autosave may send at once: a long section pasted from Word is a few hundred kB of
 * HTML. The app mounts these before ltijs's own 100 kB parsers (body-parser skips a body already parsed).
 */
export const BODY_LIMIT = '1mb';

export function portfolioBodies(): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.json({ limit: BODY_LIMIT })];
}

export const TEXT_TOO_LONG = {
  heading: 'That text is too long',
  message: 'That is more text than CMALT Portfolio can save at once, so nothing was saved. Please shorten it, or move some of it into another section or example.',
};

/** A text body over a parser's limit is too much writing, not a file (uploads report their own limit). */
export const textTooLong: ErrorRequestHandler = (err, _req, _res, next) => {
  const type = (err as { type?: unknown } | null)?.type;
  next(type === 'entity.too.large' ? new AppError(413, 'text_too_long', TEXT_TOO_LONG.message, { heading: TEXT_TOO_LONG.heading }) : err);
};
