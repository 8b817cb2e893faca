/** The shapes the test platform deals in: people, courses, registered tools, prepared launches, records. */

export interface PlatformUser {
  id: string; // the LTI `sub`
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  picture?: string;
}

export interface PlatformCourse {
  id: string; // the LTI context id
  label: string;
  title: string;
  type: string[];
}

/** A tool the platform knows (dynamic registration or by hand). */
export interface RegisteredClient {
  clientId: string;
  name?: string;
  redirectUris: string[];
  jwksUrl: string;
  loginUrl: string;
  targetLinkUri: string;
  deploymentIds: string[];
  scopes: string[];
  messages?: unknown[];
  claims?: string[];
  /** The body the tool POSTed to /register, when it registered itself. */
  registration?: Record<string, unknown>;
}

/** Each knob makes the id_token (or the form that carries it) wrong in exactly one way. */
export interface LaunchForgery {
  /** Signed by the rogue key but carrying the good key's kid. */
  badSignature?: boolean;
  /** Signed by the rogue key with a kid the JWKS does not list. */
  unknownKid?: boolean;
  /** alg "none", no signature. */
  unsigned?: boolean;
  expired?: boolean;
  iatInFuture?: boolean;
  /** aud is another client id. */
  wrongAud?: boolean;
  /** aud is [our client, another], azp the other one. */
  azpMismatch?: boolean;
  /** iss is a platform the tool has never heard of (the login still names the real issuer). */
  unknownIssuer?: boolean | string;
  /** deployment_id the tool does not know (or pass a specific one, e.g. a deactivated deployment). */
  unknownDeployment?: boolean | string;
  /** nonce other than the one the tool sent. */
  wrongNonce?: boolean;
  /** Answer with this earlier launch's exact id_token (a replay), with the current state. */
  replayOf?: PreparedLaunch;
  /** 'missing' drops the state field from the form; 'forged' sends a state the tool never issued. */
  state?: 'missing' | 'forged';
  messageType?: string;
  version?: string;
  missingSub?: boolean;
  missingRoles?: boolean;
}

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export interface LaunchOptions {
  user?: PlatformUser;
  /** Short names ('Learner', 'Instructor', 'Mentor', 'Instructor#TeachingAssistant', 'institution:Administrator', 'system:Administrator') or full URIs. */
  roles?: string[];
  course?: PlatformCourse;
  messageType?: MessageType;
  clientId?: string;
  deploymentId?: string;
  targetLinkUri?: string;
  resourceLink?: { id: string; title?: string; description?: string };
  custom?: Record<string, string>;
  /** `role_scope_mentor`: the subs a mentor may see. */
  roleScopeMentor?: string[];
  /** Include AGS claim (default true); pass a line item to create it and put its URL in the claim. */
  ags?: boolean | { lineItem?: Partial<LineItemInput> | true };
  /** Include NRPS claim (default true). */
  nrps?: boolean;
  forge?: LaunchForgery;
  /** Claims set last, over everything else; a value of undefined removes the claim. */
  claims?: Record<string, unknown>;
  /**
   * Offer LTI platform storage: the login initiation carries `lti_storage_target` (`'_parent'`: the course
   * page answers; any other name: a sibling frame of that name answers, as Canvas's 'post_message_forwarding').
   */
  storageTarget?: string;
}

export interface PreparedLaunch {
  /** The lti_message_hint that /auth uses to find this launch. */
  hint: string;
  user: PlatformUser;
  course: PlatformCourse;
  clientId: string;
  deploymentId: string;
  targetLinkUri: string;
  messageType: MessageType;
  options: LaunchOptions;
  /** What a VLE sends to the tool's login initiation URL. */
  loginParams: { iss: string; login_hint: string; target_link_uri: string; lti_message_hint: string; client_id: string; lti_deployment_id: string; lti_storage_target?: string };
  loginUrl: string;
  /** Filled in when /auth answers: the signed token, its claims, the state and nonce the tool sent. */
  idToken?: string;
  claims?: Record<string, unknown>;
  state?: string;
  nonce?: string;
  redirectUri?: string;
  /** The form /auth sent back: what the browser will POST (after forge.state). */
  formFields?: Record<string, string>;
}

export interface LineItemInput {
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export interface RecordedCall {
  at: number;
  method: string;
  url: string; // path + query
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status?: number;
}
