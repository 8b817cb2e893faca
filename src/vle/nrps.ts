import { nextLink } from './ags';
import { PlatformCallError, type PlatformClient, type PlatformTarget } from './platform-client';

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const CONTAINER_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
const MAX_PAGES = 1_000; // a loop guard against a platform whose "next" never ends

export interface NrpsMember {
  user_id: string;
  status?: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  roles?: string[];
}

/** Every member of the context, following Link rel="next" until the last page (NRPS 2.0). */
export async function fetchAllMembers(client: PlatformClient, target: PlatformTarget, membershipsUrl: string): Promise<NrpsMember[]> {
  const members: NrpsMember[] = [];
  const seen = new Set<string>();
  let next: string | undefined = membershipsUrl;
  for (let page = 0; next; page += 1) {
    if (page >= MAX_PAGES || seen.has(next)) throw new PlatformCallError('The VLE kept sending more roster pages; the roster was not changed.', false);
    seen.add(next);
    const res = await client.call(target, [NRPS_SCOPE], { method: 'GET', url: next, accept: CONTAINER_TYPE });
    const body = res.body as { members?: unknown } | undefined;
    if (!body || !Array.isArray(body.members)) throw new PlatformCallError('The VLE sent a roster page without members.', true);
    for (const m of body.members as NrpsMember[]) if (m && typeof m.user_id === 'string') members.push(m);
    next = nextLink(res.headers.get('link'));
  }
  return members;
}
