import type { Express } from 'express';
import { DL_CLAIM, LTI, type PlatformContext } from './context';
import { decodeJwt, nowSeconds, verifyWithJwks } from './keys';
import { page } from './oidc';

/** A deep linking response the tool posted back (LTI Deep Linking 2.0), with what was wrong with it. */
export interface DeepLinkingReturn {
  at: number;
  jwt: string;
  claims?: Record<string, unknown>;
  contentItems: Record<string, unknown>[];
  /** True when signed by the tool's key and its claims are right. */
  verified: boolean;
  problems: string[];
}

export function mountDeepLinkingReturn(app: Express, ctx: PlatformContext, returns: DeepLinkingReturn[]): void {
  app.post('/deep-link-return', async (req, res) => {
    const jwt = String((req.body as Record<string, string>)?.JWT ?? '');
    const entry: DeepLinkingReturn = { at: Date.now(), jwt, contentItems: [], verified: false, problems: [] };
    returns.push(entry);
    try {
      const claims = decodeJwt(jwt).payload;
      entry.claims = claims;
      entry.contentItems = (claims[`${DL_CLAIM}content_items`] as Record<string, unknown>[] | undefined) ?? [];
      const client = ctx.clients.get(String(claims.iss));
      if (!client) throw new Error(`iss ${String(claims.iss)} is not a registered client`);
      const checked = verifyWithJwks(jwt, (await (await fetch(client.jwksUrl)).json()) as { keys?: [] });
      if (!checked.ok) entry.problems.push(checked.reason);
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.includes(ctx.issuer)) entry.problems.push('aud must be the platform issuer');
      if (typeof claims.exp !== 'number' || claims.exp < nowSeconds()) entry.problems.push('expired or no exp');
      if (claims[`${LTI}message_type`] !== 'LtiDeepLinkingResponse') entry.problems.push('message_type must be LtiDeepLinkingResponse');
      if (claims[`${LTI}version`] !== '1.3.0') entry.problems.push('version must be 1.3.0');
      if (!client.deploymentIds.includes(String(claims[`${LTI}deployment_id`]))) entry.problems.push('unknown deployment_id');
    } catch (e) {
      entry.problems.push((e as Error).message);
    }
    entry.verified = entry.problems.length === 0;
    const title = entry.verified ? 'Content added' : 'Deep linking response refused';
    res.status(entry.verified ? 200 : 400).type('html').send(page(title, `<main><h1>${title}</h1></main>`));
  });
}
