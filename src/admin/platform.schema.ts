import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { NewPlatform } from './platforms.service';
import { isAllowedPlatformUrl, URL_RULE_MESSAGE } from './urls';

/** The "add a VLE by hand" form: what the installer typed, and a message per field when it is wrong. */
export type PlatformFormValues = Record<(typeof FIELDS)[number], string>;
export type FieldErrors = Partial<Record<(typeof FIELDS)[number], string>>;

const FIELDS = ['name', 'issuer', 'clientId', 'authEndpoint', 'tokenEndpoint', 'keyType', 'key', 'audience', 'deploymentIds', 'active'] as const;

export const KEY_TYPES = [
  { value: 'jwks', label: 'Keyset URL (JWKS)', method: 'JWK_SET' },
  { value: 'rsa', label: 'RSA public key (PEM)', method: 'RSA_KEY' },
  { value: 'jwk', label: 'Single public key (JWK, JSON)', method: 'JWK_KEY' },
] as const;

const MESSAGES = {
  issuer: 'Enter the VLE\'s issuer (also called platform ID), for example https://moodle.example.ac.uk',
  clientId: 'Enter the client ID the VLE gave CMALT Portfolio',
  authEndpoint: 'Enter the VLE\'s authentication request URL (OIDC authentication endpoint)',
  tokenEndpoint: 'Enter the VLE\'s access token URL',
  keyType: 'Choose how the VLE publishes its public key',
  jwks: 'Enter the VLE\'s public keyset URL',
  rsa: 'Paste a PEM public key that starts with -----BEGIN PUBLIC KEY-----',
  jwk: 'Paste one public key in JWK format (JSON with "kty": "RSA")',
  audience: 'Enter the OAuth2 audience exactly as the VLE shows it, or leave it empty',
  deploymentIds: 'Deployment IDs can only use letters, numbers and . _ : - characters, up to 255 each',
  name: 'Use 100 characters or fewer',
};

export function emptyPlatformForm(): PlatformFormValues {
  return { name: '', issuer: '', clientId: '', authEndpoint: '', tokenEndpoint: '', keyType: 'jwks', key: '', audience: '', deploymentIds: '', active: 'on' };
}

export function readPlatformForm(body: unknown): PlatformFormValues {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values = emptyPlatformForm();
  for (const field of FIELDS) values[field] = typeof raw[field] === 'string' ? (raw[field] as string).trim() : '';
  if (!values.keyType) values.keyType = 'jwks';
  return values;
}

function keyProblem(type: string, key: string, env: 'development' | 'production' | 'test'): string | undefined {
  if (type === 'jwks') return isAllowedPlatformUrl(key, env) ? undefined : MESSAGES.jwks;
  try {
    if (type === 'rsa') {
      if (!key.includes('-----BEGIN PUBLIC KEY-----')) return MESSAGES.rsa;
      createPublicKey(key);
      return undefined;
    }
    if (type === 'jwk') {
      const jwk = JSON.parse(key);
      if (jwk?.kty !== 'RSA' || jwk.d) return MESSAGES.jwk; // a private key must never be pasted here
      createPublicKey({ key: jwk, format: 'jwk' });
      return undefined;
    }
  } catch {
    return type === 'rsa' ? MESSAGES.rsa : MESSAGES.jwk;
  }
  return MESSAGES.keyType;
}

export function splitDeploymentIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}

const deploymentIdSchema = z.string().min(1).max(255).regex(/^[\w.:-]+$/);

/** Checks the form; gives either a platform to register or the messages to show beside each field. */
export function validatePlatformForm(
  values: PlatformFormValues,
  env: 'development' | 'production' | 'test',
): { ok: true; platform: NewPlatform } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const url = (field: 'issuer' | 'authEndpoint' | 'tokenEndpoint') => {
    if (!values[field]) errors[field] = MESSAGES[field];
    else if (!isAllowedPlatformUrl(values[field], env)) errors[field] = `${MESSAGES[field]}. ${URL_RULE_MESSAGE}`;
  };
  url('issuer');
  url('authEndpoint');
  url('tokenEndpoint');
  if (!values.clientId || values.clientId.length > 255) errors.clientId = MESSAGES.clientId;
  if (values.name.length > 100) errors.name = MESSAGES.name;
  const keyType = KEY_TYPES.find((k) => k.value === values.keyType);
  if (!keyType) errors.keyType = MESSAGES.keyType;
  else {
    const problem = keyProblem(keyType.value, values.key, env);
    if (problem) errors.key = problem;
  }
  if (values.audience.length > 500) errors.audience = MESSAGES.audience;
  const deploymentIds = splitDeploymentIds(values.deploymentIds);
  if (deploymentIds.some((id) => !deploymentIdSchema.safeParse(id).success)) errors.deploymentIds = MESSAGES.deploymentIds;
  if (Object.keys(errors).length || !keyType) return { ok: false, errors };
  return {
    ok: true,
    platform: {
      name: values.name || new URL(values.issuer).host,
      issuer: values.issuer, // kept exactly: launches are matched on it character for character
      clientId: values.clientId,
      authEndpoint: values.authEndpoint,
      tokenEndpoint: values.tokenEndpoint,
      audience: values.audience || undefined,
      key: { method: keyType.method, value: values.key },
      deploymentIds,
      active: values.active === 'on',
    },
  };
}
