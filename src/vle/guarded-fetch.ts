import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one client for every URL a VLE or a visitor supplies (dynamic registration, JWKS, token, AGS, NRPS).
 * http(s) only; the address a name resolves to is checked when the connection is made (so a name that
 * resolves to a public address for the check and a private one for the connection cannot slip through),
 * and only public unicast addresses are reached, unless the URL's exact origin is allow-listed
 * (OUTBOUND_ALLOWED_ORIGINS) or loopback is allowed (OUTBOUND_LOOPBACK, development only by default).
 * Redirects are never followed. Every answer is cut off at a size cap and a total deadline that destroys the
 * socket, so neither a huge nor a trickling answer holds memory or a request. Address classes come from
 * ipaddr.js (see docs/decisions.md (“Tenants, outbound calls, sessions and untrusted files”)).
 */
export interface OutboundPolicy {
  /** Exact origins (scheme://host:port) reached whatever their address: a campus VLE, the test VLE. */
  allowedOrigins: string[];
  /** Any loopback address (a VLE on this laptop). */
  loopback: boolean;
}

export type RefusalReason = 'scheme' | 'address' | 'too-large' | 'timeout' | 'network';

/** Why the guard stopped a call; the message is for logs, never for a page. */
export class OutboundRefused extends Error {
  constructor(readonly reason: RefusalReason, message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export interface GuardedRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** The largest answer read; more is cut off and the call refused. */
  maxBytes: number;
  /** From the start of the call to the last byte read. */
  timeoutMs: number;
}

export interface GuardedResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Sizes for what the tool fetches: configuration and keys are small; a roster or grade page is bounded. */
export const LIMITS = {
  configuration: 256 * 1024,
  keys: 256 * 1024,
  token: 64 * 1024,
  service: 4 * 1024 * 1024, // one AGS or NRPS page
};

let policy: OutboundPolicy = { allowedOrigins: [], loopback: false };

/** Set once at start-up from the configuration (app.ts); until then nothing private is reached. */
export function setOutboundPolicy(next: OutboundPolicy): void {
  policy = { allowedOrigins: [...next.allowedOrigins], loopback: next.loopback };
  agents = newAgents(); // connections made under the old policy are not reused
}

/** Whether the tool may connect to this address (an IP literal or a resolved address). */
export function addressAllowed(address: string, rules: Pick<OutboundPolicy, 'loopback'> = policy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address is judged as the IPv4 address it is
  const range = parsed.range();
  if (range === 'unicast') return true;
  return range === 'loopback' && rules.loopback;
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => !addressAllowed(a.address));
    if (refused || !addresses.length) {
      return callback(new OutboundRefused('address', `${hostname} resolves to an address the tool does not call (${refused?.address ?? 'none'})`), '', 0);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/** For an allow-listed origin: any address, still looked up normally. */
function newAgents() {
  return {
    http: new http.Agent({ keepAlive: true, lookup: guardedLookup } as http.AgentOptions),
    https: new https.Agent({ keepAlive: true, lookup: guardedLookup } as https.AgentOptions),
    httpOpen: new http.Agent({ keepAlive: true }),
    httpsOpen: new https.Agent({ keepAlive: true }),
  };
}
let agents = newAgents();

/** Checks a URL before any connection: the scheme, and an address written into the URL itself. */
export function checkTarget(target: string): { url: URL; allowListed: boolean } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundRefused('scheme', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused('scheme', `${url.protocol} is not http or https`);
  if (url.username || url.password) throw new OutboundRefused('scheme', 'a URL with credentials');
  const allowListed = policy.allowedOrigins.includes(url.origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowListed && ipaddr.isValid(host) && !addressAllowed(host)) {
    throw new OutboundRefused('address', `${host} is an address the tool does not call`);
  }
  return { url, allowListed };
}

/** One call through the guard. Resolves with the answer (any status, never followed); rejects with OutboundRefused. */
export async function guardedFetch(target: string, init: GuardedRequest): Promise<GuardedResponse> {
  const { url, allowListed } = checkTarget(target);
  const secure = url.protocol === 'https:';
  const agent = allowListed ? (secure ? agents.httpsOpen : agents.httpOpen) : secure ? agents.https : agents.http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, value?: GuardedResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (err) reject(err);
      else resolve(value!);
    };
    const headers: Record<string, string> = { 'User-Agent': 'CMALT-Portfolio', ...init.headers };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const req = (secure ? https : http).request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > init.maxBytes) {
        req.destroy();
        return finish(new OutboundRefused('too-large', `the answer declared ${declared} bytes, over ${init.maxBytes}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxBytes) {
          req.destroy(); // stop reading at once: nothing more arrives or is kept
          return finish(new OutboundRefused('too-large', `the answer went over ${init.maxBytes} bytes`));
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const answerHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) answerHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        finish(null, { status: res.statusCode ?? 0, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => finish(err instanceof OutboundRefused ? err : new OutboundRefused('network', err.message)));
    });
    const deadline = setTimeout(() => {
      req.destroy();
      finish(new OutboundRefused('timeout', `no complete answer within ${init.timeoutMs} ms`));
    }, init.timeoutMs);
    deadline.unref();
    req.on('error', (err) => finish(err instanceof OutboundRefused ? err : new OutboundRefused('network', err.message)));
    req.end(init.body);
  });
}

/** JSON from a guarded answer, or undefined when it is not JSON. */
export function jsonOf(answer: GuardedResponse): unknown {
  try {
    return answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    return undefined;
  }
}

/** A VLE's answer for the log: cut short, one line. Never for a page. */
export function forTheLog(text: string, max = 200): string {
  return text.replace(/\s+/g, ' ').slice(0, max);
}
