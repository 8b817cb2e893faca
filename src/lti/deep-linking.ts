import express, { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config';
import { h, renderError, renderPage } from '../http/route-kit';
import { sameSecret } from '../http/same-secret';
import { toolUrls } from '../http/tool-urls';
import { csrfTokenFor } from '../http/csrf';
import { resolveWho } from './identity';
import { frameworks } from '../portfolio';
import { mapRoles, roleLabel } from '../people/roles';
import { REFUSALS, refusalError } from './refusals';
import { registrationIsOn, type PlatformLookup } from './registration-status';
import { gradeColumnName, gradeColumnWords, vleFamilyOf, type VleFamily } from './vle-words';

/**
 * Deep linking: a teacher adding CMALT Portfolio to a course chooses the pathway, and the tool answers
 * the VLE with one LTI resource link that carries the pathway and asks for a "CMALT portfolio progress"
 * grade column. The pages use the ltik and a CSRF token like every other page behind the launch check.
 */
export interface DeepLinkingDeps {
  config: Config;
  lti: { DeepLinking: unknown } & PlatformLookup;
  log: Logger;
}

export const PROGRESS_LINE_ITEM = { label: 'CMALT portfolio progress', scoreMaximum: 100, resourceId: 'cmalt-progress', tag: 'cmalt-progress' };
export const PATHWAY_CUSTOM_PARAM = 'cmalt_pathway';
export const FRAMEWORK_CUSTOM_PARAM = 'cmalt_framework';

interface PathwayChoice {
  value: string; // "<framework>:<pathway>"
  frameworkId: string;
  frameworkTitle: string;
  shortTitle: string;
  pathwayId: string;
  title: string;
  summary: string;
}

interface DeepLinkingSettings {
  deep_link_return_url?: string;
  accept_types?: string[];
}

interface DeepLinkingService {
  createDeepLinkingMessage(token: unknown, items: unknown[], options?: { message?: string }): Promise<string>;
}

const TEXT = {
  notDeepLinking: 'This page is only for adding CMALT Portfolio to a course from your VLE.',
  notStaff: 'Only teaching staff can add CMALT Portfolio to a course.',
  notStaffHint: 'Ask a course coordinator or your VLE administrator to add it for you.',
  noLinks: 'Your VLE asked for a kind of content CMALT Portfolio cannot provide here.',
  noLinksHint: 'Add CMALT Portfolio where your VLE offers external tools or LTI links (for example as an activity, a module item or an assignment).',
  choose: 'Choose the pathway for this course',
};

/** The pathways in config/frameworks/*.json, newest version of each framework: a framework is chosen with its pathway. */
export function pathwayChoices(): PathwayChoice[] {
  const latest = new Map<string, ReturnType<ReturnType<typeof frameworks>['all']>[number]>();
  for (const f of frameworks().all()) if ((latest.get(f.id)?.version ?? 0) < f.version) latest.set(f.id, f);
  return [...latest.values()].flatMap((f) =>
    f.pathways.map((p) => ({ value: `${f.id}:${p.id}`, frameworkId: f.id, frameworkTitle: f.title, shortTitle: f.shortTitle, pathwayId: p.id, title: p.title, summary: p.summary })),
  );
}

/** The one content item returned to the VLE. */
export function progressLink(config: Config, choice: PathwayChoice): Record<string, unknown> & { title: string; lineItem: { label: string } } {
  return {
    type: 'ltiResourceLink',
    title: `CMALT Portfolio: ${choice.title}`,
    text: choice.summary,
    url: toolUrls(config).launch,
    custom: { [PATHWAY_CUSTOM_PARAM]: choice.pathwayId, [FRAMEWORK_CUSTOM_PARAM]: choice.frameworkId },
    // The column is named after the framework; the tag stays the tool's own, so existing columns are still found.
    lineItem: { ...PROGRESS_LINE_ITEM, label: `${choice.shortTitle} portfolio progress` },
  };
}

function settingsOf(res: Response): DeepLinkingSettings | undefined {
  const context = res.locals.context as { messageType?: string; deepLinkingSettings?: DeepLinkingSettings } | undefined;
  return context?.messageType === 'LtiDeepLinkingRequest' ? context.deepLinkingSettings : undefined;
}

/** Checks the launch is a deep linking request from staff; renders the refusal and returns false otherwise. */
async function mayDeepLink(res: Response): Promise<boolean> {
  const settings = settingsOf(res);
  if (!settings?.deep_link_return_url) {
    await renderError(res, 400, 'Not a course set-up request', TEXT.notDeepLinking);
    return false;
  }
  const roles = mapRoles(((res.locals.context as { roles?: string[] }).roles ?? []) as string[]).roles;
  if (!roles.includes('coordinator') && !roles.includes('installer')) {
    await renderError(res, 403, 'Not available to you', TEXT.notStaff, TEXT.notStaffHint);
    return false;
  }
  if (settings.accept_types && !settings.accept_types.includes('ltiResourceLink')) {
    await renderError(res, 400, 'Cannot add here', TEXT.noLinks, TEXT.noLinksHint);
    return false;
  }
  return true;
}

/** Which VLE sent this deep-linking request (tool_platform.product_family_code), for the picker's words. */
function familyOf(res: Response): VleFamily {
  const token = res.locals.token as { platformInfo?: { product_family_code?: unknown } } | undefined;
  return vleFamilyOf(token?.platformInfo?.product_family_code);
}

async function choosePage(deps: DeepLinkingDeps, res: Response, status: number, error?: string): Promise<void> {
  const ltik = String(res.locals.ltik);
  const who = await resolveWho(res, deps.config.ltiKey).catch(() => null);
  const family = familyOf(res);
  // each pathway with the grade column's name as this VLE will show it (Moodle: the activity's name)
  const choices = pathwayChoices().map((c) => ({ ...c, column: gradeColumnName(family, progressLink(deps.config, c)) }));
  await renderPage(res, status, 'lti/deep-linking-choose', {
    title: TEXT.choose,
    who: who ?? undefined,
    roleLabel,
    ltik,
    csrfToken: csrfTokenFor(deps.config.ltiKey, ltik),
    vle: gradeColumnWords(family),
    groups: [...new Set(choices.map((c) => c.frameworkId))].map((id) => {
      const inGroup = choices.filter((c) => c.frameworkId === id);
      return { id, title: inGroup[0].frameworkTitle, shortTitle: inGroup[0].shortTitle, choices: inGroup };
    }),
    error,
  });
}

/** A deep-linking session whose VLE or deployment was switched off meanwhile gets the same page as its launches. */
async function switchedOff(lti: PlatformLookup, res: Response): Promise<boolean> {
  const token = res.locals.token as { iss?: string; clientId?: string; deploymentId?: string } | undefined;
  if (!token?.iss || !token.clientId || !token.deploymentId) return false;
  return !(await registrationIsOn(lti, { iss: token.iss, clientId: token.clientId, deploymentId: token.deploymentId }));
}

/** For ltijs's `onDeepLinking`. */
export function deepLinkingHandler(deps: DeepLinkingDeps) {
  return async (_token: unknown, _req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (await switchedOff(deps.lti, res)) return next(refusalError(REFUSALS.registrationSwitchedOff));
      if (await mayDeepLink(res)) await choosePage(deps, res, 200);
    } catch (err) {
      next(err);
    }
  };
}

const choiceForm = z.object({ pathway: z.string().min(1), _csrf: z.string().min(1) });

/** Mount on ltijs's app (behind its launch check) at /deep-linking: the pathway form posts here. */
export function deepLinkingRoutes(deps: DeepLinkingDeps): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '20kb' }));
  router.post('/', h(async (req, res) => {
    if (await switchedOff(deps.lti, res)) throw refusalError(REFUSALS.registrationSwitchedOff);
    const ltik = typeof res.locals.ltik === 'string' ? res.locals.ltik : '';
    const form = choiceForm.safeParse(req.body);
    if (!ltik || !form.success || !sameSecret(form.data._csrf, csrfTokenFor(deps.config.ltiKey, ltik))) {
      return void (await renderError(res, 403, 'Please try that again', 'This form has expired or did not come from CMALT Portfolio, so nothing was added.', 'Start again from your VLE.'));
    }
    if (!(await mayDeepLink(res))) return;
    const choice = pathwayChoices().find((c) => c.value === form.data.pathway);
    if (!choice) return void (await choosePage(deps, res, 422, 'Choose one of the pathways listed.'));
    const service = deps.lti.DeepLinking as DeepLinkingService;
    const jwt = await service.createDeepLinkingMessage(res.locals.token, [progressLink(deps.config, choice)], {
      message: `CMALT Portfolio added for the ${choice.title} pathway.`,
    });
    deps.log.info({ pathway: choice.value }, 'deep linking answered');
    await renderPage(res, 200, 'lti/deep-linking-return', {
      title: 'Returning to your VLE',
      returnUrl: settingsOf(res)!.deep_link_return_url,
      jwt,
      pathwayTitle: choice.title,
    });
  }));
  return router;
}
