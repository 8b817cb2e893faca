import type { Express, Request, Response } from 'express';
import { SCOPES, type PlatformContext } from './context';
import { FaultQueue } from './faults';
import { recordOf } from './record';
import type { TokenService } from './token';
import type { LineItemInput, RecordedCall } from './types';

export interface LineItem extends LineItemInput {
  id: string; // its URL
  key: string;
  contextId: string;
}

export interface Score {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
  [k: string]: unknown;
}

export interface Held {
  userId: string;
  resultScore?: number; // undefined: the VLE blanked the grade
  resultMaximum: number;
  comment?: string;
}

const ACTIVITY = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const GRADING = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];
const LINEITEM_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';

/** Assignment and Grade Services 2.0: line items, scores and results, with every call recorded. */
export class AgsStore {
  readonly calls: RecordedCall[] = [];
  readonly faults = new FaultQueue();
  readonly lineItems = new Map<string, LineItem>(); // by id (URL)
  readonly scores = new Map<string, (Score & { lineItemId: string })[]>(); // by line item id, as received
  /** What the gradebook holds per line item + user after the profile's rules (a grade blanked is undefined). */
  readonly held = new Map<string, Held>();
  /** Answer 204 to scores but keep no number (a VLE set not to keep grades from the tool). */
  discardScores = false;
  /** Status for a score older than the last one for that user (AGS: 400 or 409). */
  staleScoreStatus = 409;
  pageSize = 100;
  /** Called after a line item or score is stored or removed (the practice VLE keeps its gradebook on disk). */
  onChange?: () => void;
  private unauthorizedLeft = 0;
  private revokeOnUnauthorized = true;

  constructor(private readonly ctx: PlatformContext, private readonly tokens: TokenService) {}

  failNext(times = 1, status = 500): void { this.faults.failNext(times, status); }
  hangNext(times = 1, ms?: number): void { this.faults.hangNext(times, ms); }
  delayNext(times = 1, ms = 1000): void { this.faults.delayNext(times, ms); }
  rateLimitNext(times = 1, retryAfterSeconds = 1): void { this.faults.rateLimitNext(times, retryAfterSeconds); }
  /** Answer 401 to the next `times` calls and (by default) revoke the token used, so only a new token works. */
  unauthorizedNext(times = 1, { revoke = true } = {}): void {
    this.unauthorizedLeft += times;
    this.revokeOnUnauthorized = revoke;
  }

  lineItemsUrl(contextId: string): string {
    return this.ctx.url(`/ags/contexts/${encodeURIComponent(contextId)}/lineitems`);
  }

  createLineItem(contextId: string, input: LineItemInput): LineItem {
    const key = this.ctx.nextId('li-');
    const item: LineItem = { ...input, id: `${this.lineItemsUrl(contextId)}/${key}`, key, contextId };
    this.lineItems.set(item.id, item);
    this.onChange?.();
    return item;
  }

  lineItemsIn(contextId: string): LineItem[] {
    return [...this.lineItems.values()].filter((li) => li.contextId === contextId);
  }

  lineItemForResourceLink(contextId: string, resourceLinkId: string): LineItem | undefined {
    return this.lineItemsIn(contextId).find((li) => li.resourceLinkId === resourceLinkId);
  }

  /** What the VLE's gradebook shows for a user on a line item (the result service answers the same). */
  heldFor(userId: string, lineItemId: string): Held | undefined {
    return this.held.get(`${lineItemId}\n${userId}`);
  }

  /** Scores received for a user, oldest first (optionally on one line item). */
  scoresFor(userId: string, lineItemId?: string): (Score & { lineItemId: string })[] {
    return [...this.scores.values()].flat().filter((s) => s.userId === userId && (!lineItemId || s.lineItemId === lineItemId));
  }

  mount(app: Express): void {
    const base = '/ags/contexts/:contextId/lineitems';
    app.all([base, `${base}/:key`, `${base}/:key/scores`, `${base}/:key/results`], (req, res) => void this.handle(req, res));
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const call = recordOf(req);
    this.calls.push(call);
    res.on('finish', () => { call.status = res.statusCode; });
    if (await this.faults.gate(req, res)) return;
    const tail = req.path.endsWith('/scores') ? 'scores' : req.path.endsWith('/results') ? 'results' : req.params.key ? 'item' : 'container';
    const needed: Record<string, string[]> = {
      'GET container': [SCOPES.lineItem, SCOPES.lineItemReadOnly],
      'POST container': [SCOPES.lineItem],
      'GET item': [SCOPES.lineItem, SCOPES.lineItemReadOnly],
      'PUT item': [SCOPES.lineItem],
      'DELETE item': [SCOPES.lineItem],
      'POST scores': [SCOPES.score],
      'GET results': [SCOPES.resultReadOnly],
    };
    const scopes = needed[`${req.method} ${tail}`];
    if (!scopes) { res.status(405).json({ error: 'method not allowed' }); return; }
    const auth = this.tokens.check(req, scopes);
    if (!auth.ok) { res.status(401).json({ error: 'unauthorized', error_description: auth.reason }); return; }
    if (this.unauthorizedLeft > 0) {
      this.unauthorizedLeft -= 1;
      if (this.revokeOnUnauthorized) this.tokens.revoke(auth.token.accessToken);
      res.status(401).json({ error: 'unauthorized', error_description: 'injected: token no longer valid' });
      return;
    }
    const contextId = req.params.contextId;
    if (tail === 'container') return req.method === 'GET' ? this.list(req, res, contextId) : this.create(req, res, contextId);
    const item = this.lineItems.get(`${this.lineItemsUrl(contextId)}/${req.params.key}`);
    if (!item) { res.status(404).json({ error: 'no such line item' }); return; }
    if (tail === 'scores') return this.score(req, res, item);
    if (tail === 'results') return this.results(req, res, item);
    if (req.method === 'GET') { res.type(LINEITEM_TYPE).send(JSON.stringify(present(item))); return; }
    if (req.method === 'DELETE') { this.lineItems.delete(item.id); this.onChange?.(); res.status(204).end(); return; }
    const problem = lineItemProblem(req.body);
    if (problem) { res.status(400).json({ error: problem }); return; }
    Object.assign(item, fromBody(req.body));
    this.onChange?.();
    res.type(LINEITEM_TYPE).send(JSON.stringify(present(item)));
  }

  private list(req: Request, res: Response, contextId: string): void {
    const q = req.query as Record<string, string>;
    const all = this.lineItemsIn(contextId).filter(
      (li) => (!q.resource_link_id || li.resourceLinkId === q.resource_link_id)
        && (!q.resource_id || li.resourceId === q.resource_id)
        && (!q.tag || li.tag === q.tag),
    );
    const limit = Math.max(1, Number(q.limit) || this.pageSize);
    const pageNo = Math.max(1, Number(q.page) || 1);
    const slice = all.slice((pageNo - 1) * limit, pageNo * limit);
    if (pageNo * limit < all.length) {
      const next = new URL(this.lineItemsUrl(contextId));
      for (const [k, v] of Object.entries(q)) next.searchParams.set(k, v);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('page', String(pageNo + 1));
      res.setHeader('Link', `<${next.toString()}>; rel="next"`);
    }
    res.type('application/vnd.ims.lis.v2.lineitemcontainer+json').send(JSON.stringify(slice.map(present)));
  }

  private create(req: Request, res: Response, contextId: string): void {
    const problem = lineItemProblem(req.body);
    if (problem) { res.status(400).json({ error: problem }); return; }
    const item = this.createLineItem(contextId, fromBody(req.body) as LineItemInput);
    res.status(201).type(LINEITEM_TYPE).send(JSON.stringify(present(item)));
  }

  private score(req: Request, res: Response, item: LineItem): void {
    if (!req.is('application/vnd.ims.lis.v1.score+json')) { res.status(415).json({ error: 'Content-Type must be application/vnd.ims.lis.v1.score+json' }); return; }
    const s = (req.body ?? {}) as Score;
    const problems: string[] = [];
    if (!s.userId) problems.push('userId is required');
    if (!ACTIVITY.includes(s.activityProgress)) problems.push(`activityProgress must be one of ${ACTIVITY.join(', ')}`);
    if (!GRADING.includes(s.gradingProgress)) problems.push(`gradingProgress must be one of ${GRADING.join(', ')}`);
    if (!s.timestamp || Number.isNaN(Date.parse(s.timestamp))) problems.push('timestamp must be an ISO 8601 date-time');
    if (s.scoreGiven !== undefined && (typeof s.scoreGiven !== 'number' || s.scoreGiven < 0)) problems.push('scoreGiven must be a number >= 0');
    if (s.scoreGiven !== undefined && !(typeof s.scoreMaximum === 'number' && s.scoreMaximum > 0)) problems.push('scoreMaximum (> 0) is required with scoreGiven');
    if (problems.length) { res.status(400).json({ error: problems.join('; ') }); return; }
    const list = this.scores.get(item.id) ?? [];
    const last = [...list].reverse().find((x) => x.userId === s.userId);
    if (last && Date.parse(s.timestamp) < Date.parse(last.timestamp)) {
      res.status(this.staleScoreStatus).json({ error: 'timestamp is older than the last score for this user' });
      return;
    }
    list.push({ ...s, lineItemId: item.id });
    this.scores.set(item.id, list);
    // The VLE keeps the comment always, the number only for the gradingProgress values its profile keeps.
    const kept = !this.discardScores && s.scoreGiven !== undefined && this.ctx.profile.keepsScoreWhen.includes(s.gradingProgress as never);
    this.held.set(`${item.id}\n${s.userId}`, {
      userId: s.userId,
      resultScore: kept ? (s.scoreGiven! / s.scoreMaximum!) * item.scoreMaximum : undefined,
      resultMaximum: item.scoreMaximum,
      comment: s.comment,
    });
    this.onChange?.();
    res.status(204).end();
  }

  private results(req: Request, res: Response, item: LineItem): void {
    const userFilter = req.query.user_id ? String(req.query.user_id) : undefined;
    const results = [...this.held.entries()]
      .filter(([key, h]) => key.startsWith(`${item.id}\n`) && (!userFilter || h.userId === userFilter))
      .map(([, h]) => ({
        id: `${item.id}/results/${encodeURIComponent(h.userId)}`,
        scoreOf: item.id,
        userId: h.userId,
        ...(h.resultScore !== undefined ? { resultScore: h.resultScore, resultMaximum: h.resultMaximum } : {}),
        ...(h.comment ? { comment: h.comment } : {}),
      }));
    res.type('application/vnd.ims.lis.v2.resultcontainer+json').send(JSON.stringify(results));
  }
}

function lineItemProblem(body: unknown): string | undefined {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.label !== 'string' || !b.label) return 'label is required';
  if (typeof b.scoreMaximum !== 'number' || b.scoreMaximum <= 0) return 'scoreMaximum must be a number > 0';
  return undefined;
}

function fromBody(b: Record<string, unknown>): Partial<LineItemInput> {
  const out: Record<string, unknown> = { label: b.label, scoreMaximum: b.scoreMaximum };
  for (const k of ['resourceLinkId', 'resourceId', 'tag', 'startDateTime', 'endDateTime', 'gradesReleased']) if (b[k] !== undefined) out[k] = b[k];
  return out as Partial<LineItemInput>;
}

function present(li: LineItem): Record<string, unknown> {
  const { key: _key, contextId: _contextId, ...rest } = li;
  return rest;
}
