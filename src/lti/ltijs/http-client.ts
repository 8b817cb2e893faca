import { OutboundRefused } from '../../vle/guarded-fetch';

/**
 * ltijs 5.9 has its own HTTP client (got, in ltijs/dist/Utils/Http.js) for JWKS, access tokens, AGS, NRPS and
 * dynamic registration, with no address checks, size cap or overall deadline. The tool calls none of those
 * paths: keys come through lti/platform-keys.ts (validate-token.ts replaces ltijs's JWKS fetch), registration
 * through admin/registration-client.ts, AGS and NRPS through vle/platform-client.ts, all over vle/guarded-fetch.ts.
 * So that a future ltijs code path cannot quietly reach a URL a VLE supplied, every method of ltijs's client
 * is replaced, in this one place, by one that refuses. ltijs's file is not edited; applied once per process.
 */
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate'] as const;

function refused(): never {
  throw new OutboundRefused('scheme', 'ltijs tried its own HTTP client; the tool makes every VLE call through src/vle/guarded-fetch.ts');
}

export function closeLtijsHttpClient(): void {
  const client = require('ltijs/dist/Utils/Http') as Record<string, unknown> & { __cmaltClosed?: true };
  if (client.__cmaltClosed) return;
  // got's methods return a promise with .json()/.text(): the replacement rejects whichever is used
  const refusal = () => {
    const promise = Promise.reject(new OutboundRefused('scheme', 'ltijs tried its own HTTP client'));
    promise.catch(() => undefined); // handled by whoever awaits it; never an unhandled rejection
    return Object.assign(promise, { json: () => promise, text: () => promise, buffer: () => promise });
  };
  for (const method of METHODS) client[method] = method === 'stream' ? refused : refusal;
  client.__cmaltClosed = true;
}
