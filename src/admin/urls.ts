/**
 * Which platform addresses the tool will talk to: HTTPS, or plain HTTP only for a VLE on this machine or
 * outside production (a VLE on a laptop), because keys and tokens travel over these URLs.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isAllowedPlatformUrl(value: string, env: 'development' | 'production' | 'test'): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (env !== 'production' || LOOPBACK.has(url.hostname));
}

export const URL_RULE_MESSAGE = 'Enter a full web address starting with https://';
