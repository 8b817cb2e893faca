import { shortLived } from '../http/short-lived';
import { Deployment } from './deployment.model';

/**
 * Whether the registration a session came through (its VLE and deployment) is still switched on. A launch checks
 * this directly (launch-guard.ts); a session already under way is checked here on each request, so deactivating
 * a VLE or a deployment ends its sessions too, not only its new launches.
 *
 * perf: answers are kept STATUS_TTL_MS, so a page or an autosave costs no extra read. The installer pages call
 * forgetRegistrationStatus() after every change, so this instance applies it at once; another instance within
 * STATUS_TTL_MS.
 */
export const STATUS_TTL_MS = 10_000;
const STATUS_CACHE_SIZE = 1_000;

export interface SessionRegistration {
  iss: string;
  clientId: string;
  deploymentId: string;
}

/** What of ltijs's Provider this needs: its platform record and active flag. */
export interface PlatformLookup {
  getPlatform(url: string, clientId: string): Promise<{ platformActive(): Promise<boolean> } | false>;
}

const known = shortLived<boolean>(STATUS_CACHE_SIZE, STATUS_TTL_MS);

export function forgetRegistrationStatus(): void {
  known.clear();
}

async function readStatus(lti: PlatformLookup, r: SessionRegistration): Promise<boolean> {
  const [platform, deployment] = await Promise.all([
    lti.getPlatform(r.iss, r.clientId),
    Deployment.findOne({ platformUrl: r.iss, clientId: r.clientId, deploymentId: r.deploymentId }, { active: 1 }).lean(),
  ]);
  return Boolean(platform && deployment?.active && (await platform.platformActive()));
}

/** True while the session's VLE and deployment are both registered and active. */
export async function registrationIsOn(lti: PlatformLookup, r: SessionRegistration): Promise<boolean> {
  const key = `${r.iss}\n${r.clientId}\n${r.deploymentId}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const on = await readStatus(lti, r);
  known.set(key, on);
  return on;
}
