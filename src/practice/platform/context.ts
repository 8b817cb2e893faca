import { newSigningKey, type SigningKey } from './keys';
import { PROFILES, type VleProfile } from './profiles';
import type { PlatformCourse, PlatformUser, PreparedLaunch, RecordedCall, RegisteredClient } from './types';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const DL_CLAIM = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
export const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

export const SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;
export const ALL_SCOPES: string[] = Object.values(SCOPES);

/** Everything the platform's parts share: where it lives, its keys, what it knows, what it saw. */
export class PlatformContext {
  baseUrl = '';
  readonly key: SigningKey;
  /** Never served in the JWKS: forged tokens are signed with it. */
  readonly rogueKey: SigningKey = newSigningKey();
  readonly clients = new Map<string, RegisteredClient>();
  readonly launches = new Map<string, PreparedLaunch>();
  readonly users = new Map<string, PlatformUser>();
  readonly courses = new Map<string, PlatformCourse>();
  /** Every request, in order; `unexpected` holds those to paths the platform does not serve. */
  readonly calls: RecordedCall[] = [];
  readonly unexpected: RecordedCall[] = [];
  /** Merged over the OpenID configuration (e.g. a mismatching issuer). */
  openIdOverrides: Record<string, unknown> = {};
  /** The launch /auth answered last (its id_token and state, for replay tests). */
  lastLaunch?: PreparedLaunch;
  private counter = 0;

  /** `key`: the practice VLE brings the key it keeps in DATA_DIR; tests get a new one each time. */
  constructor(readonly productFamilyCode: string, readonly profile: VleProfile = PROFILES.generic, key: SigningKey = newSigningKey()) {
    this.key = key;
  }

  get issuer(): string {
    return this.baseUrl;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  /** The client a launch uses when the test names none: the most recently registered. */
  client(clientId?: string): RegisteredClient {
    if (clientId) {
      const c = this.clients.get(clientId);
      if (!c) throw new Error(`test platform: no client ${clientId} is registered`);
      return c;
    }
    const all = [...this.clients.values()];
    if (!all.length) {
      throw new Error('test platform: no tool is registered yet: call platform.registerWithTool(...) or platform.addClient(...) first');
    }
    return all[all.length - 1];
  }
}
