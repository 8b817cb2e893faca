import type { Express, Request, Response } from 'express';
import { SCOPES, type PlatformContext } from './context';
import { FaultQueue } from './faults';
import { roleUri } from './launches';
import { recordOf } from './record';
import type { TokenService } from './token';
import type { PlatformUser, RecordedCall } from './types';

export interface MemberInput {
  user: PlatformUser;
  /** Short names or full URIs, as for launches. */
  roles: string[];
  status?: 'Active' | 'Inactive' | 'Deleted';
}

const CONTAINER_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/** Names and Role Provisioning Services 2.0: context memberships, paged, filtered by role. */
export class NrpsStore {
  readonly calls: RecordedCall[] = [];
  readonly faults = new FaultQueue();
  readonly members = new Map<string, MemberInput[]>();
  pageSize: number;

  constructor(private readonly ctx: PlatformContext, private readonly tokens: TokenService, pageSize = 100) {
    this.pageSize = pageSize;
  }

  failNext(times = 1, status = 500): void { this.faults.failNext(times, status); }
  hangNext(times = 1, ms?: number): void { this.faults.hangNext(times, ms); }
  delayNext(times = 1, ms = 1000): void { this.faults.delayNext(times, ms); }
  rateLimitNext(times = 1, retryAfterSeconds = 1): void { this.faults.rateLimitNext(times, retryAfterSeconds); }

  set(contextId: string, members: MemberInput[]): void {
    this.members.set(contextId, members);
  }

  url(contextId: string): string {
    return this.ctx.url(`/nrps/contexts/${encodeURIComponent(contextId)}/memberships`);
  }

  mount(app: Express): void {
    app.all('/nrps/contexts/:contextId/memberships', (req, res) => void this.handle(req, res));
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const call = recordOf(req);
    this.calls.push(call);
    res.on('finish', () => { call.status = res.statusCode; });
    if (await this.faults.gate(req, res)) return;
    if (req.method !== 'GET') { res.status(405).json({ error: 'method not allowed' }); return; }
    const auth = this.tokens.check(req, [SCOPES.memberships]);
    if (!auth.ok) { res.status(401).json({ error: 'unauthorized', error_description: auth.reason }); return; }
    const contextId = req.params.contextId;
    const course = this.ctx.courses.get(contextId);
    const q = req.query as Record<string, string>;
    const wanted = q.role ? roleUri(q.role) : undefined;
    const all = (this.members.get(contextId) ?? []).filter((m) => !wanted || m.roles.map(roleUri).includes(wanted));
    const limit = Math.max(1, Math.min(Number(q.limit) || this.pageSize, this.pageSize));
    const pageNo = Math.max(1, Number(q.page) || 1);
    const slice = all.slice((pageNo - 1) * limit, pageNo * limit);
    if (pageNo * limit < all.length) {
      const next = new URL(this.url(contextId));
      for (const [k, v] of Object.entries(q)) next.searchParams.set(k, v);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('page', String(pageNo + 1));
      res.setHeader('Link', `<${next.toString()}>; rel="next"`);
    }
    const body = {
      id: this.ctx.url(req.originalUrl),
      context: { id: contextId, label: course?.label ?? contextId, title: course?.title ?? contextId },
      members: slice.map((m) => ({
        status: m.status ?? 'Active',
        user_id: m.user.id,
        name: m.user.name,
        given_name: m.user.givenName,
        family_name: m.user.familyName,
        email: m.user.email,
        ...(m.user.picture ? { picture: m.user.picture } : {}),
        roles: m.roles.map(roleUri),
      })),
    };
    res.type(CONTAINER_TYPE).send(JSON.stringify(body));
  }
}
