import { Deployment, type LtiProvider } from '../lti';
import { forgetState } from './store';
import { PRACTICE_VLE_NAME, type PracticeVle } from './vle';

/**
 * The tool registers its practice VLE as an installer would register a real one (platform, deployment, both
 * active), on every start and without a click. A practice platform registered at another address (PUBLIC_URL or
 * PORT changed) is removed first: there is only ever one, at the tool's own address.
 */
export async function registerPracticeVle(lti: LtiProvider, vle: PracticeVle): Promise<void> {
  await removePracticePlatforms(lti, vle.issuer);
  const issuer = vle.issuer;
  const { clientId, deploymentId } = vle.state;
  const existing = await lti.getPlatform(issuer, clientId);
  const authConfig = { method: 'JWK_SET' as const, key: `${issuer}/jwks` };
  const platform =
    existing ||
    (await lti.registerPlatform({
      url: issuer,
      name: PRACTICE_VLE_NAME,
      clientId,
      authenticationEndpoint: `${issuer}/auth`,
      accesstokenEndpoint: `${issuer}/token`,
      authConfig,
    }));
  await platform.platformActive(true);
  await Deployment.updateOne(
    { platformUrl: issuer, clientId, deploymentId },
    { $set: { active: true, label: 'Practice course' } },
    { upsert: true },
  );
}

/**
 * Every practice platform the tool holds (found by the name only the practice VLE registers), with its
 * deployments; `keep`: the issuer to leave in place. In production (or PRACTICE_VLE=off) nothing is kept, and the
 * practice key a development run left in DATA_DIR is deleted too.
 */
export async function removePracticePlatforms(lti: LtiProvider, keep?: string): Promise<number> {
  let removed = 0;
  for (const platform of await lti.getAllPlatforms()) {
    if ((await platform.platformName()) !== PRACTICE_VLE_NAME) continue;
    const issuer = await platform.platformUrl();
    if (issuer === keep) continue;
    const clientId = await platform.platformClientId();
    await lti.deletePlatform(issuer, clientId);
    await Deployment.deleteMany({ platformUrl: issuer, clientId });
    removed += 1;
  }
  return removed;
}

export async function removePracticeVle(lti: LtiProvider, dataDir: string): Promise<number> {
  forgetState(dataDir);
  return removePracticePlatforms(lti);
}
