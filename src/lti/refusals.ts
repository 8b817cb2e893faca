import { AppError } from '../http/errors';

/** Every way a launch or a session can be refused, each with a page a person can act on. */
export interface Refusal {
  status: number;
  id: string;
  heading: string;
  message: string;
  hint?: string;
  steps?: string[];
}

const RELAUNCH = 'Go back to your course in the VLE and open CMALT Portfolio from there.';
const ASK_ADMIN = 'If this keeps happening, tell your VLE administrator, quoting the reference below.';

/** What to tell the VLE administrator when the browser keeps the tool's cookies away inside the VLE page. */
export const NEW_WINDOW_STEPS = [
  'Moodle: edit the activity (or the tool\'s site settings), and set “Launch container” to “New window”.',
  'Canvas: in the Developer Key or app settings, set the placement to open in a new tab.',
  'Blackboard Learn: edit the LTI tool link and tick “Open in new window”.',
  'Brightspace: edit the link and choose “Open as External Resource” (opens in a new window).',
];

const COOKIE_BLOCKED: Refusal = {
  status: 401,
  id: 'cookie_blocked',
  heading: 'Your browser blocked the sign-in',
  message:
    'CMALT Portfolio could not sign you in because your browser did not keep the short-lived cookie it needs. ' +
    'This usually happens when the VLE shows CMALT Portfolio inside its own page and the browser blocks cookies from other sites there.',
  hint: 'You can try again, or ask your VLE administrator to make CMALT Portfolio open in a new window:',
  steps: NEW_WINDOW_STEPS,
};

export const REFUSALS = {
  cookieBlocked: COOKIE_BLOCKED,
  sessionCookieMissing: {
    ...COOKIE_BLOCKED,
    id: 'session_cookie_missing',
    heading: 'We could not find your sign-in',
    message:
      'Your browser did not send the cookie that proves this session is yours. Your session may have been cleared, ' +
      'or the browser blocks cookies from CMALT Portfolio while it is shown inside the VLE page.',
  },
  notLaunched: {
    status: 401,
    id: 'not_launched',
    heading: 'Please open CMALT Portfolio from your course',
    message: 'This page needs you to arrive from your course in the VLE, so that we know who you are.',
    hint: RELAUNCH,
  },
  sessionExpired: {
    status: 401,
    id: 'session_expired',
    heading: 'Your session has ended',
    message: 'For your security, a CMALT Portfolio session lasts a limited time, and this one has ended.',
    hint: RELAUNCH,
  },
  registrationSwitchedOff: {
    status: 403,
    id: 'registration_switched_off',
    heading: 'CMALT Portfolio is switched off for this VLE',
    message:
      'The person who installs CMALT Portfolio has deactivated or removed this VLE (or the deployment you came from) since you opened it, ' +
      'so it cannot be used from here for now. Nothing you have saved is lost.',
    hint: 'Ask the person who installed CMALT Portfolio to activate it again on its installer page.',
  },
  sessionInvalid: {
    status: 401,
    id: 'session_invalid',
    heading: 'Your session is not valid',
    message: 'The link you followed does not carry a valid CMALT Portfolio session.',
    hint: RELAUNCH,
  },
  badLogin: {
    status: 400,
    id: 'bad_login_request',
    heading: 'The VLE sent an incomplete sign-in request',
    message: 'The sign-in request from the VLE was missing the issuer, the login hint or the target link.',
    hint: ASK_ADMIN,
  },
  badLoginValue: {
    status: 400,
    id: 'bad_login_value',
    heading: 'The VLE sent a sign-in request we cannot read',
    message: 'Each part of a sign-in request must be plain text. This one was not, so nothing was done.',
    hint: ASK_ADMIN,
  },
  stateMissing: {
    status: 400,
    id: 'state_missing',
    heading: 'The launch could not be checked',
    message: 'The launch from the VLE arrived without the sign-in reference CMALT Portfolio gave it, so we cannot trust it.',
    hint: RELAUNCH,
  },
  stateUnknown: {
    status: 400,
    id: 'state_unknown',
    heading: 'This launch was not started here, or has already been used',
    message:
      'The launch carried a sign-in reference CMALT Portfolio did not issue, or one that has already been used or has expired.',
    hint: RELAUNCH,
  },
  tokenUnreadable: {
    status: 400,
    id: 'token_unreadable',
    heading: 'The launch could not be read',
    message: 'The VLE sent a launch message that is not a readable signed token.',
    hint: ASK_ADMIN,
  },
  issuerMismatch: {
    status: 401,
    id: 'issuer_mismatch',
    heading: 'The launch came from an unexpected VLE',
    message: 'The launch message names a different VLE from the one that started the sign-in.',
    hint: ASK_ADMIN,
  },
  unknownPlatform: {
    status: 401,
    id: 'unknown_platform',
    heading: 'This VLE is not registered with CMALT Portfolio',
    message: 'CMALT Portfolio does not know the VLE (or the tool registration) this launch came from.',
    hint: 'Ask the person who installs tools in your VLE to register CMALT Portfolio first.',
  },
  wrongAudience: {
    status: 401,
    id: 'wrong_audience',
    heading: 'This launch was meant for another tool',
    message: 'The launch message was addressed to a different tool registration, so CMALT Portfolio cannot accept it.',
    hint: ASK_ADMIN,
  },
  platformInactive: {
    status: 403,
    id: 'platform_inactive',
    heading: 'This VLE is waiting to be activated',
    message: 'CMALT Portfolio has been registered with this VLE, but the registration has not been activated yet.',
    hint: 'Ask the person who installed CMALT Portfolio to activate the registration on its installer page.',
  },
  unknownKey: {
    status: 401,
    id: 'unknown_key',
    heading: 'The launch was signed with an unknown key',
    message: 'The VLE signed this launch with a key it does not publish, so CMALT Portfolio cannot check it.',
    hint: ASK_ADMIN,
  },
  keysUnavailable: {
    status: 502,
    id: 'platform_keys_unavailable',
    heading: 'We could not check this launch with your VLE',
    message: 'CMALT Portfolio could not fetch the keys your VLE publishes, so it cannot check who signed this launch.',
    hint: 'Try again in a few minutes. If it keeps happening, tell your VLE administrator, quoting the reference below.',
  },
  badSignature: {
    status: 401,
    id: 'bad_signature',
    heading: 'The launch signature is not valid',
    message: 'The launch message was not signed by the VLE it claims to come from.',
    hint: ASK_ADMIN,
  },
  tokenExpired: {
    status: 401,
    id: 'token_expired',
    heading: 'The launch has expired',
    message: 'The launch message is too old to be accepted. This can happen if the page was left open or the clocks disagree.',
    hint: RELAUNCH,
  },
  tokenFromFuture: {
    status: 401,
    id: 'token_from_future',
    heading: 'The launch is dated in the future',
    message: 'The launch message says it was issued later than now, so it cannot be trusted. The VLE\'s clock may be wrong.',
    hint: ASK_ADMIN,
  },
  nonceMismatch: {
    status: 401,
    id: 'nonce_mismatch',
    heading: 'This launch does not match its sign-in',
    message: 'The launch message does not answer the sign-in CMALT Portfolio started. It may have been replayed or altered.',
    hint: RELAUNCH,
  },
  wrongMessageType: {
    status: 400,
    id: 'wrong_message_type',
    heading: 'CMALT Portfolio cannot open this kind of link',
    message: 'The VLE sent a kind of LTI message CMALT Portfolio does not handle.',
    hint: ASK_ADMIN,
  },
  wrongVersion: {
    status: 400,
    id: 'wrong_lti_version',
    heading: 'This LTI version is not supported',
    message: 'CMALT Portfolio needs LTI 1.3; the launch message gave a different version.',
    hint: ASK_ADMIN,
  },
  missingSub: {
    status: 400,
    id: 'missing_user',
    heading: 'The launch did not say who you are',
    message: 'The VLE sent a launch without a user identifier, so CMALT Portfolio cannot tell whose portfolio to open.',
    hint: 'Anonymous launches are not supported: ask your VLE administrator to send user details to CMALT Portfolio.',
  },
  missingRoles: {
    status: 400,
    id: 'missing_roles',
    heading: 'The launch did not include your role',
    message: 'The VLE sent a launch without any roles, so CMALT Portfolio cannot tell what you may do here.',
    hint: ASK_ADMIN,
  },
  missingClaim: {
    status: 400,
    id: 'missing_claim',
    heading: 'The launch is incomplete',
    message: 'The launch message is missing a detail LTI 1.3 requires (the deployment, the link or its address).',
    hint: ASK_ADMIN,
  },
  unknownDeployment: {
    status: 403,
    id: 'unknown_deployment',
    heading: 'This deployment of CMALT Portfolio is not registered',
    message: 'The VLE launched CMALT Portfolio from a deployment it has not been told about.',
    hint: 'Ask the person who installed CMALT Portfolio to add this deployment on its installer page.',
  },
  deploymentInactive: {
    status: 403,
    id: 'deployment_inactive',
    heading: 'This deployment of CMALT Portfolio is switched off',
    message: 'The deployment this launch came from has been deactivated.',
    hint: 'Ask the person who installed CMALT Portfolio to activate it again on its installer page.',
  },
  launchFailed: {
    status: 401,
    id: 'launch_failed',
    heading: 'The launch could not be checked',
    message: 'CMALT Portfolio could not verify this launch from the VLE.',
    hint: RELAUNCH,
  },
} satisfies Record<string, Refusal>;

/** A launch whose roles give nothing: say which VLE role to ask for. */
export function noRoleRefusal(rolesSent: string[]): Refusal {
  return {
    status: 403,
    id: 'no_app_role',
    heading: 'Your role in this course does not give access to CMALT Portfolio',
    message:
      rolesSent.length > 0
        ? `The VLE says your role here is: ${rolesSent.join(', ')}. None of these roles has a place in CMALT Portfolio.`
        : 'The VLE did not give you a role in this course.',
    hint: 'Ask your VLE administrator or the course coordinator to enrol you in this course with one of these roles:',
    steps: [
      'Student (Learner) – to build your own CMALT portfolio.',
      'Non-editing teacher, Teaching Assistant or Mentor – to mentor candidates.',
      'Teacher (Instructor) – to coordinate the cohort.',
    ],
  };
}

/** The refusal as an AppError, so the one error handler renders it (page or JSON). */
export function refusalError(r: Refusal): AppError {
  return new AppError(r.status, r.id, r.message, { view: 'lti/refused', heading: r.heading, hint: r.hint, steps: r.steps });
}

/** ltijs's error codes for an id_token or ltik it refused, in words. */
export function refusalForLtijsError(code: string | undefined): Refusal {
  switch (code) {
    case 'MISSING_VALIDATION_COOKIE':
      return REFUSALS.cookieBlocked;
    case 'NO_LTIK_OR_IDTOKEN_FOUND':
      return REFUSALS.notLaunched;
    case 'ISS_CLAIM_DOES_NOT_MATCH':
      return REFUSALS.issuerMismatch;
    case 'UNREGISTERED_PLATFORM':
      return REFUSALS.unknownPlatform;
    case 'PLATFORM_NOT_ACTIVATED':
      return REFUSALS.platformInactive;
    case 'KID_NOT_FOUND':
    case 'KEY_NOT_FOUND':
    case 'KEYSET_NOT_FOUND':
      return REFUSALS.unknownKey;
    case 'invalid signature':
    case 'ALG_NOT_RS256':
      return REFUSALS.badSignature;
    case 'jwt expired':
    case 'TOKEN_TOO_OLD':
      return REFUSALS.tokenExpired;
    case 'NONCE_ALREADY_RECEIVED':
      return REFUSALS.nonceMismatch;
    case 'AZP_DOES_NOT_MATCH_CLIENTID':
      return REFUSALS.wrongAudience;
    case 'NO_MESSAGE_TYPE_CLAIM':
      return REFUSALS.wrongMessageType;
    case 'NO_LTI_VERSION_CLAIM':
    case 'WRONG_LTI_VERSION_CLAIM':
      return REFUSALS.wrongVersion;
    case 'NO_SUB_CLAIM':
      return REFUSALS.missingSub;
    case 'NO_ROLES_CLAIM':
      return REFUSALS.missingRoles;
    case 'IDTOKEN_NOT_FOUND_DB':
    case 'CONTEXTTOKEN_NOT_FOUND_DB':
      return REFUSALS.sessionExpired;
    case 'jwt malformed':
    case 'invalid token':
    case 'jwt signature is required':
      return REFUSALS.sessionInvalid;
    default:
      return REFUSALS.launchFailed;
  }
}
