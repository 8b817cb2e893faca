import type { Response } from 'express';

/**
 * ltijs 5.9 ends a login and a launch with res.redirect(url) and offers no hook there, so the steps that must act
 * on that URL (a strong nonce, remembering the login, recording the launch, the cookieless session) wrap
 * res.redirect through this one function. The wrap installed last runs first: in app.ts loginCapture is
 * registered after rememberLogin so that rememberLogin sees the nonce loginCapture put in the URL.
 */
export function onLtijsRedirect(res: Response, handle: (target: string, redirect: (url: string) => void) => void): void {
  const redirect = res.redirect.bind(res) as (url: string) => void;
  (res as { redirect: unknown }).redirect = (...args: unknown[]) => handle(String(args[args.length - 1]), redirect);
}
