import type { Config } from '../config';

/** The tool's own addresses, as a VLE must be told them. One place, so every page and the README agree. */
export interface ToolUrls {
  base: string;
  domain: string; // host[:port], as VLEs ask for it
  login: string;
  launch: string; // target link URI and the only redirect URI
  deepLinking: string; // ltijs answers deep linking requests on the launch URL
  keys: string;
  register: string;
  admin: string;
}

export function toolUrls(config: Pick<Config, 'publicUrl'>): ToolUrls {
  const base = config.publicUrl.replace(/\/$/, '');
  const launch = `${base}/lti/launch`;
  return {
    base,
    domain: new URL(base).host,
    login: `${base}/lti/login`,
    launch,
    deepLinking: launch,
    keys: `${base}/lti/keys`,
    register: `${base}/lti/register`,
    admin: `${base}/admin`,
  };
}
