import type { Refusal } from '../refusals';
import { NEW_WINDOW_STEPS } from '../refusals';

const RELAUNCH = 'Go back to your course in the VLE and open CMALT Portfolio from there.';

/** Refusals of the cookie alternatives: platform storage and the new window. */
export const STORAGE_REFUSALS = {
  storageLaunchUnknown: {
    status: 400,
    id: 'storage_launch_unknown',
    heading: 'This sign-in has already been used or has expired',
    message: 'CMALT Portfolio was asked to finish a sign-in it is not waiting for.',
    hint: RELAUNCH,
  },
  storageCrossSite: {
    status: 403,
    id: 'storage_cross_site',
    heading: 'This sign-in did not come from CMALT Portfolio',
    message: 'The request to finish signing in was sent by another site, so CMALT Portfolio did not accept it.',
    hint: RELAUNCH,
  },
  storageMismatch: {
    status: 401,
    id: 'storage_mismatch',
    heading: 'Your VLE could not confirm this sign-in',
    message: 'The sign-in details your VLE kept for CMALT Portfolio do not match this launch. It may have been replayed or altered.',
    hint: RELAUNCH,
  },
  newWindowTicketUnknown: {
    status: 410,
    id: 'new_window_link_used',
    heading: 'This link has already been used or has expired',
    message: 'The “open in a new window” link works once, for a few minutes.',
    hint: RELAUNCH,
  },
  cookiesOff: {
    status: 401,
    id: 'cookies_off',
    heading: 'Your browser does not accept cookies from CMALT Portfolio',
    message:
      'Even in its own window, your browser did not keep the short-lived cookie CMALT Portfolio needs to sign you in. ' +
      'Cookies may be switched off for this site, or for all sites.',
    hint: 'Allow cookies for this site in your browser settings and open CMALT Portfolio again from your course. If the VLE can open it in a new window, ask your VLE administrator:',
    steps: NEW_WINDOW_STEPS,
  },
} satisfies Record<string, Refusal>;
