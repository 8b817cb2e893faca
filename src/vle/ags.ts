import type { PlatformClient, PlatformTarget } from './platform-client';
import { PlatformCallError } from './platform-client';

/** AGS 2.0 media types and scopes, as the specification names them. */
export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;
const LINE_ITEM_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';
const CONTAINER_TYPE = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
export const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json';

/** Our line item: what deep linking asks the VLE for, and what we create when nothing else gave one. */
export const PROGRESS_LINE_ITEM = { label: 'CMALT portfolio progress', scoreMaximum: 100, tag: 'cmalt-progress' } as const;

export interface LineItem {
  id: string;
  label?: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  tag?: string;
}

export interface AgsScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment: string;
  timestamp: string;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
}

/** The scopes we ask for: only what the launch granted, so one token serves every call for a line. */
export function agsScopes(granted: string[]): string[] {
  const wanted: string[] = [AGS_SCOPES.lineItem, AGS_SCOPES.lineItemReadOnly, AGS_SCOPES.score];
  const usable = wanted.filter((s) => granted.includes(s));
  // Full lineitem scope covers reading; asking for both would only need a broader grant.
  return usable.includes(AGS_SCOPES.lineItem) ? usable.filter((s) => s !== AGS_SCOPES.lineItemReadOnly) : usable;
}

export async function getLineItem(client: PlatformClient, target: PlatformTarget, scopes: string[], url: string): Promise<LineItem> {
  const res = await client.call(target, scopes, { method: 'GET', url, accept: LINE_ITEM_TYPE });
  return asLineItem(res.body);
}

/** Every line item for a resource link with our tag, following Link rel="next" pages. */
export async function findLineItems(
  client: PlatformClient,
  target: PlatformTarget,
  scopes: string[],
  lineItemsUrl: string,
  filter: { resourceLinkId: string; tag: string },
): Promise<LineItem[]> {
  const first = new URL(lineItemsUrl);
  first.searchParams.set('resource_link_id', filter.resourceLinkId);
  first.searchParams.set('tag', filter.tag);
  const found: LineItem[] = [];
  let next: string | undefined = first.toString();
  for (let page = 0; next && page < 50; page += 1) {
    const res = await client.call(target, scopes, { method: 'GET', url: next, accept: CONTAINER_TYPE });
    const items = Array.isArray(res.body) ? res.body : [];
    found.push(...items.map(asLineItem));
    next = nextLink(res.headers.get('link'));
  }
  // Some platforms ignore the filters: check them ourselves.
  return found.filter((li) => li.resourceLinkId === filter.resourceLinkId && li.tag === filter.tag);
}

export async function createLineItem(
  client: PlatformClient,
  target: PlatformTarget,
  scopes: string[],
  lineItemsUrl: string,
  resourceLinkId: string,
  label: string = PROGRESS_LINE_ITEM.label, // the course's framework names the column
): Promise<LineItem> {
  const res = await client.call(target, scopes, {
    method: 'POST',
    url: lineItemsUrl,
    contentType: LINE_ITEM_TYPE,
    accept: LINE_ITEM_TYPE,
    body: { ...PROGRESS_LINE_ITEM, label, resourceLinkId },
  });
  return asLineItem(res.body);
}

export async function postScore(client: PlatformClient, target: PlatformTarget, scopes: string[], lineItemUrl: string, score: AgsScore): Promise<void> {
  await client.call(target, scopes, { method: 'POST', url: scoresUrl(lineItemUrl), contentType: SCORE_TYPE, body: score });
}

/** `{lineitem}/scores`, keeping any query string the platform put on the line item URL. */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

/** The rel="next" target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2])) return m[1];
  }
  return undefined;
}

function asLineItem(body: unknown): LineItem {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.id !== 'string' || typeof b.scoreMaximum !== 'number') {
    throw new PlatformCallError('The VLE sent a line item without an id or scoreMaximum.', false);
  }
  return {
    id: b.id,
    label: typeof b.label === 'string' ? b.label : undefined,
    scoreMaximum: b.scoreMaximum,
    resourceLinkId: typeof b.resourceLinkId === 'string' ? b.resourceLinkId : undefined,
    tag: typeof b.tag === 'string' ? b.tag : undefined,
  };
}
