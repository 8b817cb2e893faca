/**
 * LTI 1.3 through ltijs: the launch checks, recording a launch, who is asking, deep linking, the roles page,
 * and (under ltijs/) every adaptation of ltijs itself. The only file outside lti/ may import.
 */
export { newProvider, type LtiProvider, type LtiPlatform } from './ltijs/provider';
export { useKeyObjectForSecret } from './ltijs/jsonwebtoken-key';
export { cacheLtijsReads } from './ltijs/cached-reads';
export { partitionedCookies } from './ltijs/partitioned-cookies';
export { ID_TOKEN_MAX_AGE_S, launchCheck, loginCapture, plainLoginParams } from './launch-guard';
export { installerEntry, landOnRolePage, recordValidLaunch, whenCourseFactsChange, type AfterLaunch } from './launch';
export { identity } from './identity';
export { deepLinkingHandler, deepLinkingRoutes } from './deep-linking';
export { REFUSALS, refusalError, refusalForLtijsError } from './refusals';
export { rolesPageRouter } from './roles-page';
export { sessionMaxAge } from './session-age';
export { cookielessSession, launchWithoutCookie, newWindowInsteadOfLaunch, PASS_ROUTE, rememberLogin, sessionPassRoute, startLoginInNewWindow } from './storage';
export { Deployment } from './deployment.model';
/** For the practice VLE's sample course: its people recorded exactly as their launches would record them. */
export { launchFacts, recordLaunch, type LaunchFacts, type RecordedLaunch } from './launch.service';
export { forgetRegistrationStatus } from './registration-status';
/** For the cohort's Teachers page: who is a coordinator changes what each membership's roles give. */
export { forgetIdentities } from './identity';
export { refreshAppRoles } from './role-overrides.service';
