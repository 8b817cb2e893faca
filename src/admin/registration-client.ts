import { z } from 'zod';
import { forTheLog, guardedFetch, jsonOf, LIMITS } from '../vle/guarded-fetch';
import { isAllowedPlatformUrl } from './urls';

/**
 * The tool's side of LTI Dynamic Registration 1.0: read the platform's OpenID configuration, check it,
 * and send our client metadata to its registration endpoint. Failures carry a message for the page.
 */
export class RegistrationProblem extends Error {
  /** For the log only (cut short): what the VLE or the guard said. */
  detail?: string;
  constructor(readonly status: number, message: string, readonly hint?: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

const url = z.string().url();

const platformConfigurationSchema = z.object({
  issuer: url,
  authorization_endpoint: url,
  token_endpoint: url,
  jwks_uri: url,
  registration_endpoint: url,
  authorization_server: z.string().optional(),
  claims_supported: z.array(z.string()).optional(),
  'https://purl.imsglobal.org/spec/lti-platform-configuration': z
    .object({ product_family_code: z.string().optional(), version: z.string().optional() })
    .passthrough()
    .optional(),
});
export type PlatformConfiguration = z.infer<typeof platformConfigurationSchema>;

const registrationResponseSchema = z.object({
  client_id: z.string().min(1),
  'https://purl.imsglobal.org/spec/lti-tool-configuration': z
    .object({ deployment_id: z.string().min(1).optional() })
    .passthrough()
    .optional(),
});

export const PROBLEMS = {
  unreadable: 'We could not read your VLE\'s registration details.',
  unreadableHint: 'Check that the VLE can be reached from the CMALT Portfolio server, then start the registration again from the VLE.',
  incomplete: 'Your VLE\'s registration details are incomplete, so CMALT Portfolio cannot register with it.',
  issuerMismatch: 'The VLE\'s registration details name a different site from the one that sent them, so we stopped to keep your courses safe.',
  issuerMismatchHint: 'Start the registration again from your VLE\'s own administration pages. If it keeps happening, ask your VLE administrator to check its issuer (platform ID) setting.',
  refused: 'Your VLE refused the registration.',
  refusedHint: 'The registration link may have expired or been used already. Start the registration again from the VLE.',
  unreachable: 'We could not reach your VLE to finish the registration.',
  badAnswer: 'Your VLE\'s answer to the registration did not include a client ID, so nothing was saved.',
};

const TIMEOUT_MS = 10_000;

/** Through the guard: public addresses (or allow-listed origins) only, no redirects, a small answer, a deadline. */
async function getJson(target: string, init: { method?: 'POST'; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: unknown; text: string }> {
  const answer = await guardedFetch(target, { ...init, maxBytes: LIMITS.configuration, timeoutMs: TIMEOUT_MS });
  return { status: answer.status, body: jsonOf(answer), text: answer.text };
}

const reasonOf = (err: unknown) => forTheLog(err instanceof Error ? err.message : String(err));

export async function readPlatformConfiguration(
  openidConfigurationUrl: string,
  env: 'development' | 'production' | 'test',
): Promise<PlatformConfiguration> {
  if (!isAllowedPlatformUrl(openidConfigurationUrl, env)) {
    throw new RegistrationProblem(400, PROBLEMS.unreadable, 'The registration link from the VLE must use https://.');
  }
  let answer: { status: number; body: unknown; text: string };
  try {
    answer = await getJson(openidConfigurationUrl, { headers: { Accept: 'application/json' } });
  } catch (err) {
    // one answer whatever went wrong (refused address, closed port, timeout): the page is no port scanner
    throw new RegistrationProblem(502, PROBLEMS.unreadable, PROBLEMS.unreadableHint, reasonOf(err));
  }
  if (answer.status !== 200) throw new RegistrationProblem(502, PROBLEMS.unreadable, PROBLEMS.unreadableHint, `answered ${answer.status}: ${forTheLog(answer.text)}`);
  const parsed = platformConfigurationSchema.safeParse(answer.body);
  if (!parsed.success) throw new RegistrationProblem(400, PROBLEMS.incomplete);
  const configuration = parsed.data;
  // Dynamic Registration 1.0 §3.5.1: the issuer must be the site the configuration came from.
  if (new URL(configuration.issuer).origin !== new URL(openidConfigurationUrl).origin) {
    throw new RegistrationProblem(400, PROBLEMS.issuerMismatch, PROBLEMS.issuerMismatchHint);
  }
  for (const endpoint of [configuration.authorization_endpoint, configuration.token_endpoint, configuration.jwks_uri, configuration.registration_endpoint]) {
    if (!isAllowedPlatformUrl(endpoint, env)) throw new RegistrationProblem(400, PROBLEMS.incomplete);
  }
  return configuration;
}

export async function sendRegistration(
  registrationEndpoint: string,
  registrationToken: string | undefined,
  request: Record<string, unknown>,
): Promise<{ clientId: string; deploymentId?: string }> {
  let answer: { status: number; body: unknown; text: string };
  try {
    answer = await getJson(registrationEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(registrationToken ? { Authorization: `Bearer ${registrationToken}` } : {}),
      },
      body: JSON.stringify(request),
    });
  } catch (err) {
    throw new RegistrationProblem(502, PROBLEMS.unreachable, PROBLEMS.unreadableHint, reasonOf(err));
  }
  const said = `answered ${answer.status}: ${forTheLog(answer.text)}`;
  if (answer.status >= 400 && answer.status < 500) throw new RegistrationProblem(400, PROBLEMS.refused, PROBLEMS.refusedHint, said);
  if (answer.status < 200 || answer.status >= 300) throw new RegistrationProblem(502, PROBLEMS.unreachable, PROBLEMS.unreadableHint, said);
  const parsed = registrationResponseSchema.safeParse(answer.body);
  if (!parsed.success) throw new RegistrationProblem(502, PROBLEMS.badAnswer);
  return {
    clientId: parsed.data.client_id,
    deploymentId: parsed.data['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id,
  };
}
