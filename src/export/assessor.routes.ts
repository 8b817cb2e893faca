import express, { Router, type Request, type Response } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import { Types } from 'mongoose';
import { MongoRateLimitStore } from '../http/rate-limit-store';
import { h } from '../http/route-kit';
import { attachmentHeader, openStoredFile } from '../portfolio';
import { accessKey, accessKeyValid, codeMatches, frozenCopyOf, recordOpening, resolveToken, sha256, type Resolved } from './assessor.service';
import type { AssessorLinkDoc } from './assessor.model';
import { readingPresenter } from './reading.presenter';

/**
 * What ALT's assessors open: no VLE account and no cookie. The token in the URL is the only key (with
 * the access code when one was set); every answer is noindex, no-referrer and never cached.
 */
export interface AssessorDeps {
  config: { ltiKey: string };
  now?: () => Date;
}

const REFUSED: Record<Exclude<Resolved, { ok: true }>['reason'], { status: number; heading: string; message: string }> = {
  unknown: { status: 404, heading: 'This link does not open a portfolio', message: 'Check that the whole address was copied. If it still does not open, ask the candidate for a new link.' },
  expired: { status: 410, heading: 'This link has expired', message: 'Ask the candidate, or their scheme coordinator, for a new link.' },
  revoked: { status: 410, heading: 'This link has been withdrawn', message: 'The candidate withdrew this link. Ask them for a new one if you still need to read the portfolio.' },
};
const WRONG_CODE = 'That access code is not right. Check the code sent with the link and try again.';
const NO_FILE = 'That file is not part of this portfolio, or it could not be read.';
const TOO_MANY = 'Too many requests for this page. Please wait a few minutes and try again.';

export function assessorRouter(deps: AssessorDeps): Router {
  const now = deps.now ?? (() => new Date());
  const secret = deps.config.ltiKey;
  const router = Router();
  const plain = (res: Response, status: number, heading: string, message: string) =>
    res.status(status).render('export/assessor-refused', { title: heading, heading, message, robots: 'noindex, nofollow' });
  router.use((_req, res, next) => {
    res.set({ 'X-Robots-Tag': 'noindex, nofollow, noarchive', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });
    next();
  });
  router.use(rateLimit({ windowMs: 60_000, limit: 60, store: new MongoRateLimitStore('assessor:'), standardHeaders: 'draft-7', legacyHeaders: false, handler: (_req, res) => void plain(res, 429, 'Please wait a moment', TOO_MANY) }));
  // Wrong codes are counted per link and address: guessing one link's code does not lock out another's assessors.
  const codeAttempts = rateLimit({ windowMs: 15 * 60_000, limit: 10, skipSuccessfulRequests: true, keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}:${sha256(String(req.params.token)).slice(0, 24)}`, store: new MongoRateLimitStore('assessor-code:'), standardHeaders: 'draft-7', legacyHeaders: false, handler: (_req, res) => void plain(res, 429, 'Too many attempts', TOO_MANY) });
  router.use(express.urlencoded({ extended: false, limit: '2kb' }));

  const linkOr = async (req: Request, res: Response): Promise<AssessorLinkDoc | null> => {
    const resolved = await resolveToken(req.params.token, now());
    if (resolved.ok) return resolved.link;
    const r = REFUSED[resolved.reason];
    plain(res, r.status, r.heading, r.message);
    return null;
  };

  const showPortfolio = async (req: Request, res: Response, link: AssessorLinkDoc) => {
    const copy = await frozenCopyOf(link);
    if (!copy) return void plain(res, 404, REFUSED.unknown.heading, REFUSED.unknown.message);
    await recordOpening(link, { ip: req.ip ?? '', userAgent: String(req.headers['user-agent'] ?? '') }, now());
    const key = link.codeHash ? `?k=${encodeURIComponent(accessKey(secret, link, now()))}` : '';
    const book = readingPresenter(copy.book, { evidenceHref: (e) => `/assessor/${req.params.token}/evidence/${e.id}${key}`, showStates: false });
    res.render('export/assessor', { title: book.title, book, robots: 'noindex, nofollow', submitted: copy.createdAt });
  };
  const askForCode = (res: Response, status: number, error: string) =>
    res.status(status).render('export/assessor-code', { title: error ? 'Error: Access code' : 'Access code', error, robots: 'noindex, nofollow' });

  router.get('/:token', h(async (req, res) => {
    const link = await linkOr(req, res);
    if (!link) return;
    if (link.codeHash) return void askForCode(res, 200, '');
    await showPortfolio(req, res, link);
  }));

  router.post('/:token', codeAttempts, h(async (req, res) => {
    const link = await linkOr(req, res);
    if (!link) return;
    const given = typeof req.body?.code === 'string' ? req.body.code : '';
    if (!codeMatches(link, given)) return void askForCode(res, 403, WRONG_CODE);
    await showPortfolio(req, res, link);
  }));

  router.get('/:token/evidence/:evidenceId', h(async (req, res) => {
    const link = await linkOr(req, res);
    if (!link) return;
    if (link.codeHash && !accessKeyValid(secret, link, String(req.query.k ?? ''), now())) return void askForCode(res, 403, 'Enter the access code again to download files.');
    const copy = await frozenCopyOf(link);
    const item = copy?.book.evidence.find((e) => e.id === req.params.evidenceId);
    if (!item?.file || !Types.ObjectId.isValid(item.file.fileId)) return void plain(res, 404, 'File not found', NO_FILE);
    const stream = openStoredFile(new Types.ObjectId(item.file.fileId));
    stream.once('error', () => (res.headersSent ? res.destroy() : void plain(res, 404, 'File not found', NO_FILE)));
    stream.once('file', () => {
      res.set({
        'Content-Type': item.file!.contentType,
        'Content-Disposition': attachmentHeader(item.file!.filename),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    });
    stream.pipe(res);
  }));
  return router;
}
