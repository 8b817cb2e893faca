import { shortLived } from '../http/short-lived';
import { Deployment } from './deployment.model';

/**
 * Whether the registration a session came through (its VLE and deployment) is still switched on. A launch checks
 * its deployment with deploymentStatus below; a session already under way is checked here on each request, so
 * deactivating a VLE or a deployment ends its sessions too, not only its new launches.
 *
 * perf: answers are kept STATUS_TTL_MS, so a page, an autosave or a launch costs no extra read. The installer
 * pages call forgetRegistrationStatus() after every change, so this instance applies it at once; another instance
 * within STATUS_TTL_MS.
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
/** Only active deployments: a refusal always reads again, so a deployment just added or switched on launches at once. */
const activeDeployments = shortLived<true>(STATUS_CACHE_SIZE, STATUS_TTL_MS);
/** Bumped by every forget: a read that was under way when an installer changed something is not kept. */
let generation = 0;

export function forgetRegistrationStatus(): void {
  generation += 1;
  known.clear();
  activeDeployments.clear();
}

const keyOf = (r: SessionRegistration) => `${r.iss}\n${r.clientId}\n${r.deploymentId}`;

async function readStatus(lti: PlatformLookup, r: SessionRegistration): Promise<boolean> {
  const [platform, deployment] = await Promise.all([
    lti.getPlatform(r.iss, r.clientId),
    Deployment.findOne({ platformUrl: r.iss, clientId: r.clientId, deploymentId: r.deploymentId }, { active: 1 }).lean(),
  ]);
  return Boolean(platform && deployment?.active && (await platform.platformActive()));
}

/** True while the session's VLE and deployment are both registered and active. */
export async function registrationIsOn(lti: PlatformLookup, r: SessionRegistration): Promise<boolean> {
  const key = keyOf(r);
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const before = generation;
  const on = await readStatus(lti, r);
  if (generation === before) known.set(key, on);
  return on;
}

export type DeploymentStatus = 'active' | 'inactive' | 'unknown';

/** A launch's deployment: stored and switched on, stored and switched off, or not stored at all. */
export async function deploymentStatus(r: SessionRegistration): Promise<DeploymentStatus> {
  const key = keyOf(r);
  if (activeDeployments.get(key)) return 'active';
  const before = generation;
  const deployment = await Deployment.findOne({ platformUrl: r.iss, clientId: r.clientId, deploymentId: r.deploymentId }, { active: 1 }).lean();
  if (!deployment) return 'unknown';
  if (!deployment.active) return 'inactive';
  if (generation === before) activeDeployments.set(key, true);
  return 'active';
}
