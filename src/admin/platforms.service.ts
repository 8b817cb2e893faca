import { Deployment, forgetRegistrationStatus } from '../lti';
import { conflict, notFound } from '../http/errors';
import { PRACTICE_VLE_NAME } from '../practice';
import type { LtijsPlatform, LtijsProvider } from './ltijs-platforms';

/**
 * The platforms (VLEs) and deployments the tool accepts launches from. ltijs keeps platforms and their
 * active flag; our Deployment model keeps deployment ids, which ltijs does not check. Every change
 * here touches both, and undoes its first half when the second fails, so nothing is left half-stored.
 */

export interface DeploymentSummary {
  id: string;
  deploymentId: string;
  label: string;
  active: boolean;
}

export interface PlatformSummary {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  active: boolean;
  authEndpoint: string;
  tokenEndpoint: string;
  audience: string;
  keyMethod: string;
  key: string;
  deployments: DeploymentSummary[];
  /** Another registration (another client id) has the same issuer: a second VLE may be posing as this one. */
  issuerShared?: boolean;
}

/** What every registration names: the VLE, its issuer and client id, and where the tool logs in and asks for tokens. */
interface PlatformIdentity {
  name: string;
  issuer: string;
  clientId: string;
  authEndpoint: string;
  tokenEndpoint: string;
  audience?: string;
}

export interface NewPlatform extends PlatformIdentity {
  key: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; value: string };
  deploymentIds: string[];
  active: boolean;
}

export const MESSAGES = {
  alreadyRegistered: 'This VLE is already registered with that client ID. Remove it first, or add a deployment to it.',
  deploymentExists: 'That deployment ID is already registered for this VLE.',
  platformNotFound: 'We could not find that VLE. It may have been removed already.',
  deploymentNotFound: 'We could not find that deployment. It may have been removed already.',
};

const sameIds = (issuer: string, clientId: string) => ({ platformUrl: issuer, clientId });

async function summarise(platform: LtijsPlatform): Promise<Omit<PlatformSummary, 'deployments'>> {
  const authConfig = await platform.platformAuthConfig();
  return {
    id: await platform.platformId(),
    name: await platform.platformName(),
    issuer: await platform.platformUrl(),
    clientId: await platform.platformClientId(),
    active: await platform.platformActive(),
    authEndpoint: await platform.platformAuthEndpoint(),
    tokenEndpoint: await platform.platformAccessTokenEndpoint(),
    audience: await platform.platformAuthorizationServer(),
    keyMethod: authConfig.method,
    key: authConfig.key,
  };
}

function deploymentSummary(d: { _id: unknown; deploymentId: string; label?: string | null; active: boolean }): DeploymentSummary {
  return { id: String(d._id), deploymentId: d.deploymentId, label: d.label ?? '', active: d.active };
}

/**
 * The built-in practice VLE is not a real VLE: the installer's list never shows it (nor can it be changed). Its own
 * administrator (the practice VLE's installer person, whose list is narrowed to their VLE) asks with keepPractice.
 */
export async function listPlatforms(lti: LtijsProvider, options: { keepPractice?: boolean } = {}): Promise<PlatformSummary[]> {
  const platforms = (await Promise.all((await lti.getAllPlatforms()).map(summarise))).filter((p) => options.keepPractice || p.name !== PRACTICE_VLE_NAME);
  const deployments = await Deployment.find({}).sort({ createdAt: 1 }).lean();
  return platforms
    .map((p) => ({
      ...p,
      deployments: deployments
        .filter((d) => d.platformUrl === p.issuer && d.clientId === p.clientId)
        .map(deploymentSummary),
      issuerShared: platforms.some((other) => other.issuer === p.issuer && other.clientId !== p.clientId),
    }))
    .sort((a, b) => a.issuer.localeCompare(b.issuer) || a.clientId.localeCompare(b.clientId));
}

export async function getPlatform(lti: LtijsProvider, platformId: string): Promise<PlatformSummary> {
  const platform = await lti.getPlatformById(platformId);
  if (!platform) throw notFound(MESSAGES.platformNotFound);
  const summary = await summarise(platform);
  if (summary.name === PRACTICE_VLE_NAME) throw notFound(MESSAGES.platformNotFound);
  const deployments = await Deployment.find(sameIds(summary.issuer, summary.clientId)).sort({ createdAt: 1 }).lean();
  return { ...summary, deployments: deployments.map(deploymentSummary) };
}

/** Registers a platform and its deployments; on any failure removes whatever this call stored. */
export async function addPlatform(lti: LtijsProvider, input: NewPlatform): Promise<PlatformSummary> {
  if (await lti.getPlatform(input.issuer, input.clientId)) {
    throw conflict(MESSAGES.alreadyRegistered, { field: 'clientId' });
  }
  try {
    const platform = await lti.registerPlatform({
      url: input.issuer,
      name: input.name,
      clientId: input.clientId,
      authenticationEndpoint: input.authEndpoint,
      accesstokenEndpoint: input.tokenEndpoint,
      authorizationServer: input.audience || undefined,
      authConfig: { method: input.key.method, key: input.key.value },
    });
    await platform.platformActive(input.active); // ltijs treats a platform with no status as active
    if (input.deploymentIds.length) {
      await Deployment.insertMany(
        input.deploymentIds.map((deploymentId) => ({ ...sameIds(input.issuer, input.clientId), deploymentId, active: input.active })),
      );
    }
    forgetRegistrationStatus();
    return await getPlatform(lti, await platform.platformId());
  } catch (err) {
    await Deployment.deleteMany(sameIds(input.issuer, input.clientId));
    await lti.deletePlatform(input.issuer, input.clientId);
    throw err;
  }
}

/** Adds a deployment to a platform the tool already knows (dynamic registration from the same client). */
export async function addDeploymentTo(
  issuer: string,
  clientId: string,
  deployment: { deploymentId: string; label?: string; active: boolean },
): Promise<DeploymentSummary> {
  try {
    const created = await Deployment.create({ ...sameIds(issuer, clientId), ...deployment, label: deployment.label ?? '' });
    forgetRegistrationStatus();
    return deploymentSummary(created);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw conflict(MESSAGES.deploymentExists, { field: 'deploymentId' });
    throw err;
  }
}

export async function addDeployment(
  lti: LtijsProvider,
  platformId: string,
  deployment: { deploymentId: string; label?: string },
): Promise<DeploymentSummary> {
  const platform = await getPlatform(lti, platformId);
  return addDeploymentTo(platform.issuer, platform.clientId, { ...deployment, active: true });
}

/** Activating a platform also activates its deployments: after dynamic registration both wait, and one click should do. */
export async function setPlatformActive(lti: LtijsProvider, platformId: string, active: boolean): Promise<PlatformSummary> {
  const platform = await lti.getPlatformById(platformId);
  if (!platform) throw notFound(MESSAGES.platformNotFound);
  await platform.platformActive(active);
  if (active) {
    await Deployment.updateMany(sameIds(await platform.platformUrl(), await platform.platformClientId()), { $set: { active: true } });
  }
  forgetRegistrationStatus(); // sessions from this VLE end (or may go on) at once, not only new launches
  return getPlatform(lti, platformId);
}

export async function removePlatform(lti: LtijsProvider, platformId: string): Promise<PlatformSummary> {
  const summary = await getPlatform(lti, platformId);
  await Deployment.deleteMany(sameIds(summary.issuer, summary.clientId));
  await lti.deletePlatform(summary.issuer, summary.clientId);
  forgetRegistrationStatus();
  return summary;
}

export async function getDeployment(id: string): Promise<DeploymentSummary & { issuer: string; clientId: string }> {
  const found = /^[a-f0-9]{24}$/i.test(id) ? await Deployment.findById(id).lean() : null;
  if (!found) throw notFound(MESSAGES.deploymentNotFound);
  return { ...deploymentSummary(found), issuer: found.platformUrl, clientId: found.clientId };
}

export async function setDeploymentActive(id: string, active: boolean): Promise<DeploymentSummary> {
  await getDeployment(id);
  await Deployment.updateOne({ _id: id }, { $set: { active } });
  forgetRegistrationStatus();
  return getDeployment(id);
}

export async function removeDeployment(id: string): Promise<DeploymentSummary> {
  const deployment = await getDeployment(id);
  await Deployment.deleteOne({ _id: id });
  forgetRegistrationStatus();
  return deployment;
}

export interface DynamicRegistration extends PlatformIdentity {
  jwksUri: string;
  deploymentId?: string;
}

/** Whether the issuer is already registered under another client id (see storeDynamicRegistration's caller). */
export async function issuerRegisteredElsewhere(lti: LtijsProvider, issuer: string, clientId: string): Promise<boolean> {
  for (const platform of await lti.getAllPlatforms()) {
    if ((await platform.platformUrl()) === issuer && (await platform.platformClientId()) !== clientId) return true;
  }
  return false;
}

/**
 * Stores what a VLE registered dynamically. A new client becomes a new platform; a client we already
 * know only gains the deployment (VLEs reuse a client for a second deployment).
 */
export async function storeDynamicRegistration(
  lti: LtijsProvider,
  registration: DynamicRegistration,
  active: boolean,
): Promise<{ platform: PlatformSummary; created: boolean }> {
  const existing = await lti.getPlatform(registration.issuer, registration.clientId);
  if (!existing) {
    const platform = await addPlatform(lti, {
      name: registration.name,
      issuer: registration.issuer,
      clientId: registration.clientId,
      authEndpoint: registration.authEndpoint,
      tokenEndpoint: registration.tokenEndpoint,
      audience: registration.audience,
      key: { method: 'JWK_SET', value: registration.jwksUri },
      deploymentIds: registration.deploymentId ? [registration.deploymentId] : [],
      active,
    });
    return { platform, created: true };
  }
  if (registration.deploymentId) {
    const known = await Deployment.exists({ ...sameIds(registration.issuer, registration.clientId), deploymentId: registration.deploymentId });
    if (!known) await addDeploymentTo(registration.issuer, registration.clientId, { deploymentId: registration.deploymentId, active });
  }
  return { platform: await getPlatform(lti, await existing.platformId()), created: false };
}
