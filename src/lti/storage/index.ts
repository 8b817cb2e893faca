/** Launches without third-party cookies: LTI platform storage, and the new-window fallback. */
export { rememberLogin } from './login';
export { launchWithoutCookie, newWindowInsteadOfLaunch } from './launch';
export { cookielessSession } from './session';
export { startLoginInNewWindow } from '../new-window';
export { PASS_ROUTE, sessionPassRoute } from './bind';
