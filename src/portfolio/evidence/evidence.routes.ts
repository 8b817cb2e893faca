import express, { Request, RequestHandler, Response, Router } from 'express';
import multer from 'multer';
import { navFor } from '../../http/nav';
import { z } from 'zod';
import type { Config } from '../../config';
import { storedFileOf, streamingStorage } from '../../files';
import { requireCsrf } from '../../http/csrf';
import { wantsJson } from '../../http/error-handler';
import { AppError, badRequest, forbidden, notFound, unauthorised } from '../../http/errors';
import type { Who } from '../../http/who';
import { h, render, urlOf, whoOf } from '../../http/route-kit';
import { EvidenceDoc, EvidenceKind } from './evidence.model';
import { formValues, hasPreview, presentEvidence, presentStorage } from './evidence.presenter';
import { detailsSchema, fieldErrors, linkSchema, listFilterSchema, noteSchema } from './evidence.schema';
import * as evidence from './evidence.service';
import { ACCEPT_ATTRIBUTE } from './file-types';
import { attachmentHeader } from './attachment';
import { canChangeEvidence, canKeepEvidence, canReadEvidence } from './policy';
import { sectionHref } from './paths';
import { backToExample, exampleTargetOf, exampleTargetSchema, linkedAnswer, linkedItemAnchor, pickerAnchor, type ExampleTarget } from './from-example';

export interface EvidenceDeps {
  config: Pick<Config, 'uploadLimitBytes' | 'storageQuotaBytes' | 'ltiKey'>;
}

const NOT_FOUND = 'We could not find that evidence. It may have been deleted.';
/** Told to the section page's script (a live region reads it out). */
const DONE = {
  added: (title: string) => `“${title}” was added to your library and linked to this example.`,
  linked: (title: string) => `“${title}” is now linked to this example.`,
  unlinked: (title: string) => `“${title}” is no longer linked to this example. It is still in your library.`,
};
const NOTICES: Record<string, string> = {
  added: 'Evidence added to your library.',
  saved: 'Your changes are saved.',
  deleted: 'The evidence was deleted.',
};


const ownerOf = (res: Response): evidence.Owner => ({ courseId: whoOf(res).courseId, userId: whoOf(res).userId });

/** Loads an item for the route and asks the policy; anything not theirs is simply not found. */
async function itemFor(req: Request, res: Response, need: 'read' | 'change'): Promise<EvidenceDoc> {
  const item = await evidence.findEvidence(req.params.id);
  if (!item || !(await canReadEvidence(whoOf(res), item))) throw notFound(NOT_FOUND);
  if (need === 'change' && !canChangeEvidence(whoOf(res), item)) throw forbidden('Only the candidate who owns this evidence can change it.');
  return item;
}

export function evidenceRouter(deps: EvidenceDeps): Router {
  const router = express.Router();
  const limit = deps.config.uploadLimitBytes;
  const quota = deps.config.storageQuotaBytes;
  const limitText = evidence.formatBytes(limit);
  // Each file streams into GridFS as it arrives (never buffered whole), within the limit and the owner's quota.
  const uploadFor = (owner: evidence.Owner) =>
    multer({
      storage: streamingStorage(
        (file) => evidence.receiveFile(owner, { originalName: file.originalname, stream: file.stream }, { fileBytes: limit, quotaBytes: quota }),
        evidence.discardUpload,
      ),
      defParamCharset: 'utf8',
      limits: { fileSize: limit, files: 1, fields: 20, fieldSize: 64 * 1024 },
    }).single('file');

  router.use(express.urlencoded({ extended: false, limit: '200kb' }));
  router.use((_req, res, next) => {
    if (!res.locals.who) return next(unauthorised());
    // The pages get it from render; this is for the error pages of this folder.
    res.locals.nav = navFor(res.locals.who as Who, '/portfolio/evidence', res.locals.url, res.locals.unread);
    next();
  });
  // Keeping a library is for candidates; reading one item is for whoever the policy lets read it.
  const candidateOnly: RequestHandler = (_req, res, next) =>
    next(canKeepEvidence(whoOf(res)) ? undefined : forbidden('The evidence library is for candidates building a portfolio.'));

  // `target`: the example the evidence is being added from; the page keeps it, links the item to it and goes back there.
  const renderNew = async (res: Response, status: number, kind: EvidenceKind, body: Record<string, unknown>, errors: Record<string, string> = {}, target: ExampleTarget | null = null) => {
    const storage = presentStorage(await evidence.storageUse(ownerOf(res), quota));
    const back = target ? urlOf(res, backToExample(target, null, pickerAnchor(target.exampleId))) : null;
    await render(res.status(status), 'portfolio/evidence/new', { kind, values: formValues(body), errors, formError: '', limitText, limitBytes: limit, accept: ACCEPT_ATTRIBUTE, storage, target, back }, '/portfolio/evidence');
  };

  /** A refused form: the page again with the problems and what was typed, or JSON for the section page's script. */
  const refuse = async (req: Request, res: Response, status: number, kind: EvidenceKind, errors: Record<string, string>, target: ExampleTarget | null) => {
    if (!wantsJson(req)) return renderNew(res, status, kind, req.body ?? {}, errors, target);
    const id = status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'validation_failed';
    res.status(status).json({ error: { id, message: Object.values(errors)[0] ?? 'Please check what you entered.', fields: errors } });
  };

  /** Added: linked to the example it came from (if any); then the item's page, back to the example, or JSON. */
  const added = async (req: Request, res: Response, item: EvidenceDoc, target: ExampleTarget | null) => {
    if (target) await evidence.attachEvidence(ownerOf(res), item, target);
    if (wantsJson(req)) {
      // The room left, for the upload forms' hints on the page.
      const storage = presentStorage(await evidence.storageUse(ownerOf(res), quota));
      return void res.status(201).json({ ...linkedAnswer(item, Boolean(target), (p) => urlOf(res, p), DONE.added(item.title)), storage: storage.text });
    }
    const next = target ? backToExample(target, 'evidence-added', linkedItemAnchor(target.exampleId, String(item._id))) : `/portfolio/evidence/${item._id}?done=added`;
    res.redirect(303, urlOf(res, next));
  };

  router.get('/', candidateOnly, h(async (req, res) => {
    const filter = listFilterSchema.parse(req.query);
    const owner = ownerOf(res);
    const [items, usage, tags, storage] = await Promise.all([evidence.listEvidence(owner, filter), evidence.usageOf(owner), evidence.tagsInUse(owner), evidence.storageUse(owner, quota)]);
    await render(res, 'portfolio/evidence/list', {
      storage: presentStorage(storage),
      items: items.map((i) => presentEvidence(i, usage.get(String(i._id)))),
      filter: { kind: filter.kind ?? '', tag: filter.tag ?? '', q: filter.q ?? '' },
      filtered: Boolean(filter.kind || filter.tag || filter.q),
      tags,
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/portfolio/evidence');
  }));

  router.get('/new', candidateOnly, h(async (req, res) => {
    const kind = z.enum(['file', 'link', 'note']).catch('file').parse(req.query.kind);
    // Most files and notes are added the day they happen; a link's date is when the page was made, which only the candidate knows.
    const target = await exampleTargetOf(ownerOf(res), req.query);
    await renderNew(res, 200, kind, kind === 'link' ? {} : { date: new Date().toISOString().slice(0, 10) }, {}, target);
  }));

  // The CSRF token rides in the form's action URL, so it is checked before a byte of the file is stored.
  router.post('/files', candidateOnly, requireCsrf(deps.config.ltiKey), h(async (req, res) => {
    const owner = ownerOf(res);
    const failure = await new Promise<unknown>((resolve) => uploadFor(owner)(req, res, resolve));
    const stored = storedFileOf<evidence.StoredUpload>(req);
    // The example comes in the form's fields, read with the file: one that is not theirs keeps nothing.
    const target = await exampleTargetOf(owner, req.body).catch(async (err) => {
      await evidence.discardUpload(stored);
      throw err;
    });
    if (failure instanceof multer.MulterError) {
      const status = failure.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      const message = status === 413 ? evidence.FILE_MESSAGES.tooLarge(limit) : 'Upload one file at a time, using the form on this page.';
      return refuse(req, res, status, 'file', { file: message }, target);
    }
    if (failure instanceof AppError && failure.status < 500) return refuse(req, res, failure.status, 'file', { file: failure.message }, target);
    if (failure) throw failure;
    const parsed = detailsSchema.safeParse(req.body);
    if (!parsed.success) {
      await evidence.discardUpload(stored);
      return refuse(req, res, 422, 'file', fieldErrors(parsed.error), target);
    }
    let item: EvidenceDoc;
    try {
      item = await evidence.addFileEvidence(owner, parsed.data, stored, quota);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return refuse(req, res, err.status, 'file', { file: err.message }, target);
      throw err;
    }
    await added(req, res, item, target);
  }));

  router.post('/links', candidateOnly, h(async (req, res) => {
    const target = await exampleTargetOf(ownerOf(res), req.body);
    const parsed = linkSchema.safeParse(req.body);
    if (!parsed.success) return refuse(req, res, 422, 'link', fieldErrors(parsed.error), target);
    await added(req, res, await evidence.addLinkEvidence(ownerOf(res), parsed.data), target);
  }));

  router.post('/notes', candidateOnly, h(async (req, res) => {
    const target = await exampleTargetOf(ownerOf(res), req.body);
    const parsed = noteSchema.safeParse(req.body);
    if (!parsed.success) return refuse(req, res, 422, 'note', fieldErrors(parsed.error), target);
    await added(req, res, await evidence.addNoteEvidence(ownerOf(res), parsed.data), target);
  }));

  const linkTarget = exampleTargetSchema.extend({ evidenceId: z.string().regex(/^[a-f0-9]{24}$/i) });

  // Attach/detach come from the picker on a section page: back to the same example (or JSON for its script).
  const changes = [
    { path: '/attach', change: evidence.attachEvidence, linked: true, done: 'evidence-linked' },
    { path: '/detach', change: evidence.detachEvidence, linked: false, done: 'evidence-unlinked' },
  ] as const;
  for (const { path, change, linked, done } of changes) {
    router.post(path, candidateOnly, h(async (req, res) => {
      const parsed = linkTarget.safeParse(req.body);
      if (!parsed.success) throw badRequest('Choose a piece of evidence from the list, then try again.');
      const item = await evidence.findEvidence(parsed.data.evidenceId);
      if (!item || !canChangeEvidence(whoOf(res), item)) throw notFound(NOT_FOUND);
      await change(ownerOf(res), item, parsed.data);
      if (wantsJson(req)) return void res.json(linkedAnswer(item, linked, (p) => urlOf(res, p), (linked ? DONE.linked : DONE.unlinked)(item.title)));
      const anchor = linked ? linkedItemAnchor(parsed.data.exampleId, String(item._id)) : pickerAnchor(parsed.data.exampleId);
      res.redirect(303, urlOf(res, backToExample(parsed.data, done, anchor)));
    }));
  }

  router.get('/:id', h(async (req, res) => {
    const item = await itemFor(req, res, 'read');
    const usedIn = await evidence.usageOfOne({ courseId: item.courseId, userId: item.ownerId }, String(item._id));
    await render(res, 'portfolio/evidence/show', { item: presentEvidence(item, usedIn), sectionHref, canChange: canChangeEvidence(whoOf(res), item), notice: NOTICES[String(req.query.done)] ?? '' }, '/portfolio/evidence');
  }));

  router.get('/:id/edit', candidateOnly, h(async (req, res) => {
    const item = await itemFor(req, res, 'change');
    const view = presentEvidence(item);
    const values = { title: view.title, date: view.dateValue, description: view.description, tags: view.tagsValue, url: view.url ?? '', text: view.text ?? '' };
    await render(res, 'portfolio/evidence/edit', { item: view, values, errors: {} }, '/portfolio/evidence');
  }));

  router.post('/:id', candidateOnly, h(async (req, res) => {
    const item = await itemFor(req, res, 'change');
    const schema = item.kind === 'link' ? linkSchema : item.kind === 'note' ? noteSchema : detailsSchema;
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      return render(res.status(422), 'portfolio/evidence/edit', { item: presentEvidence(item), values: formValues(req.body), errors: fieldErrors(parsed.error) }, '/portfolio/evidence');
    }
    await evidence.updateEvidence(item, parsed.data);
    res.redirect(303, urlOf(res, `/portfolio/evidence/${item._id}?done=saved`));
  }));

  router.get('/:id/download', h(async (req, res) => {
    const item = await itemFor(req, res, 'read');
    if (!item.file) throw notFound('This evidence has no file to download.');
    const file = item.file;
    const stream = evidence.openEvidenceFile(item);
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    };
    stream.once('error', (err) => {
      if (res.headersSent) return void res.destroy(err);
      for (const name of [...Object.keys(headers), 'Content-Disposition']) res.removeHeader(name);
      void render(res.status(404), 'error', { heading: 'File not found', message: NOT_FOUND }, '/portfolio/evidence');
    });
    res.set({ ...headers, 'Content-Disposition': attachmentHeader(file.filename) });
    stream.pipe(res);
  }));

  // A thumbnail of an image (never SVG: see hasPreview), shown in the page rather than downloaded.
  router.get('/:id/preview', h(async (req, res) => {
    const item = await itemFor(req, res, 'read');
    if (!hasPreview(item)) throw notFound('This evidence has no picture to show.');
    res.set({
      'Content-Type': item.file!.contentType,
      'Content-Length': String(item.file!.size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Content-Disposition': 'inline',
      'Cache-Control': 'private, no-store',
    });
    const stream = evidence.openEvidenceFile(item);
    stream.once('error', (err) => res.destroy(err));
    stream.pipe(res);
  }));

  router.get('/:id/delete', candidateOnly, h(async (req, res) => {
    const item = await itemFor(req, res, 'change');
    const usedIn = await evidence.usageOfOne(ownerOf(res), String(item._id));
    await render(res, 'portfolio/evidence/delete', { item: presentEvidence(item, usedIn), sectionHref, changed: false }, '/portfolio/evidence');
  }));

  router.post('/:id/delete', candidateOnly, h(async (req, res) => {
    const item = await itemFor(req, res, 'change');
    const confirmation = { confirmed: req.body?.confirmed === 'yes', usedInSeen: String(req.body?.usedInSeen ?? '') };
    const result = await evidence.deleteEvidence(ownerOf(res), item, confirmation);
    if (result.outcome === 'deleted') return void res.redirect(303, urlOf(res, '/portfolio/evidence?done=deleted'));
    // Asked again: the page shows where it is used now; 409 because nothing was changed.
    await render(res.status(409), 'portfolio/evidence/delete', { item: presentEvidence(item, result.usedIn), sectionHref, changed: confirmation.confirmed }, '/portfolio/evidence');
  }));

  return router;
}
