import type { RequestHandler } from 'express';
import { LoginStart, type LoginParams } from './models';
import { onLtijsRedirect } from '../ltijs/redirect';

/** Keys the tool puts in platform storage, in the shape of 1EdTech's example library. */
export const storageKeys = (state: string, nonce: string) => ({ state: `lti_state_${state}`, nonce: `lti_nonce_${nonce}` });

/** A frame name the VLE may give as lti_storage_target ('_parent' or a named frame such as Canvas's). */
const FRAME_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Marks the login the new window starts again, so that a cookie missing even there is told apart. */
export const FROM_NEW_WINDOW = 'cmalt_from_new_window';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function loginParamsOf(p: Record<string, unknown>): LoginParams | null {
  const iss = str(p.iss);
  const loginHint = str(p.login_hint);
  const target = str(p.target_link_uri);
  if (!iss || !loginHint || !target) return null;
  return {
    iss,
    login_hint: loginHint,
    target_link_uri: target,
    lti_message_hint: str(p.lti_message_hint),
    client_id: str(p.client_id),
    lti_deployment_id: str(p.lti_deployment_id),
  };
}

/**
 * Runs inside lti's loginCapture (register it first), so it sees the final redirect to the VLE with our
 * nonce. Remembers every login by its state (for the new-window fallback), and when the VLE offers platform
 * storage answers a page that stores the state and nonce there before going on to the VLE.
 */
export function rememberLogin(): RequestHandler {
  return (req, res, next) => {
    const p = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const params = loginParamsOf(p);
    const target = str(p.lti_storage_target);
    const storageTarget = target && FRAME_NAME.test(target) ? target : null;
    onLtijsRedirect(res, (authUrl, redirect) => {
      let url: URL;
      try {
        url = new URL(authUrl);
      } catch {
        return redirect(authUrl);
      }
      const state = url.searchParams.get('state');
      const nonce = url.searchParams.get('nonce');
      if (!params || !state || !nonce) return redirect(authUrl);
      LoginStart.create({ state, nonce, params, storageTarget, platformOrigin: url.origin, fromNewWindow: p[FROM_NEW_WINDOW] === '1' }).then(
        () => {
          if (!storageTarget) return redirect(authUrl);
          res.set('Cache-Control', 'no-store');
          res.render('lti/storage-login', { title: 'Signing you in', authUrl, platformOrigin: url.origin, storageTarget, state, nonce, keys: storageKeys(state, nonce) });
        },
        (err: unknown) => next(err),
      );
    });
    next();
  };
}
