import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import { badRequest, forbidden, notFound } from '../http/errors';
import { noStore } from '../http/no-store';
import { pageNumberOf, paginate } from '../http/pages';
import { renderPage } from '../http/render-page';
import { h } from '../http/route-kit';
import { frameSource } from './platform/oidc';
import { KIND_LABELS, SAMPLE_PEOPLE, samplePerson } from './sample';
import { PRACTICE_PATH, type PracticeVle } from './vle';

const MESSAGES = {
  unknownPerson: 'Please choose one of the sample people on the practice VLE’s start page.',
  staleForm: 'This form has expired or did not come from the practice VLE. Please go back to the start page and try again.',
  noLaunch: 'That launch has expired or belongs to a practice course that was reset. Please choose a person again from the start page.',
};

/** Participants per page: a sample course is small, but the page works the same with a real roster. */
const PARTICIPANTS_PER_PAGE = 20;

/**
 * The practice VLE has no accounts (whoever reaches it is the evaluator on their own machine), so its forms carry a
 * token only its own pages know: another site cannot make a visitor's browser reset the course or launch someone.
 */
function formToken(ltiKey: string): string {
  return createHmac('sha256', ltiKey).update('practice-vle-form').digest('base64url');
}

function checkForm(req: Request, expected: string): void {
  const given = Buffer.from(String((req.body as Record<string, unknown> | undefined)?._csrf ?? ''));
  const want = Buffer.from(expected);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw forbidden(MESSAGES.staleForm);
}

/** The practice VLE's own pages: the start page, a course page framing the tool, its gradebook and participants. */
export function practicePages(vle: PracticeVle, ltiKey: string, resetCourse: () => Promise<void>): express.Router {
  const router = express.Router();
  const csrf = formToken(ltiKey);
  const url = (path: string) => `${PRACTICE_PATH}${path}`;
  const nav = (current: string) =>
    [
      { href: url('/'), label: 'Start', id: 'start' },
      { href: url('/participants'), label: 'Participants', id: 'participants' },
      { href: url('/gradebook'), label: 'Gradebook', id: 'gradebook' },
    ].map((item) => ({ ...item, current: item.id === current }));
  const common = (current: string) => ({ nav: nav(current), course: vle.course, url, csrf });

  router.use(noStore());
  router.use(express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/', h(async (req, res) =>
    renderPage(res, 200, 'practice/start', { ...common('start'), title: 'Try CMALT Portfolio', people: SAMPLE_PEOPLE, kinds: KIND_LABELS, wasReset: req.query.reset === '1' }),
  ));

  // "Open as …": a real LTI 1.3 launch is prepared, and the course page frames the tool's login for it. "Open in a
  // new window" (the form opens a new tab): the same launch, its login at the top level of that window, as VLEs offer.
  router.post('/open', h(async (req, res) => {
    checkForm(req, csrf);
    const body = req.body as Record<string, unknown>;
    const person = samplePerson(body.person);
    if (!person) throw badRequest(MESSAGES.unknownPerson);
    const inWindow = body.window === '1';
    const launch = vle.launchAs(person, { window: inWindow });
    if (inWindow) return res.redirect(303, frameSource(launch));
    res.redirect(303, url(`/course/${encodeURIComponent(launch.course.id)}/launch?hint=${encodeURIComponent(launch.hint)}`));
  }));

  router.get('/course/:courseId/launch', h(async (req, res) => {
    const launch = vle.launch(String(req.query.hint ?? ''));
    if (!launch || launch.course.id !== req.params.courseId) throw notFound(MESSAGES.noLaunch);
    const person = samplePerson(launch.user.id)!;
    return renderPage(res, 200, 'practice/course', { ...common(''), title: `${vle.course.title} as ${person.name}`, person, kind: KIND_LABELS[person.kind], src: frameSource(launch) });
  }));

  // Where the tool sends people back to the course (launch_presentation return_url).
  router.get('/course/:courseId/return', h(async (_req, res) =>
    renderPage(res, 200, 'practice/return', { ...common(''), title: 'Back in the practice course' }),
  ));

  router.get('/participants', h(async (req, res) => {
    const members = vle.members();
    const current = pageNumberOf(req.query);
    const pages = paginate(current, members.length, (n) => url(`/participants?page=${n}`), PARTICIPANTS_PER_PAGE);
    const rows = members.slice((current - 1) * PARTICIPANTS_PER_PAGE, current * PARTICIPANTS_PER_PAGE).map((m) => {
      const person = samplePerson(m.user.id);
      return { name: m.user.name, email: m.user.email, role: person ? KIND_LABELS[person.kind] : m.roles.join(', ') };
    });
    return renderPage(res, 200, 'practice/participants', { ...common('participants'), title: 'Participants', rows, pages, total: members.length });
  }));

  router.get('/gradebook', h(async (_req, res) => {
    const columns = vle.lineItems().map((item) => ({ item, rows: vle.gradebook(item) }));
    return renderPage(res, 200, 'practice/gradebook', { ...common('gradebook'), title: 'Gradebook', columns });
  }));

  router.post('/reset', h(async (req, res) => {
    checkForm(req, csrf);
    await resetCourse();
    res.redirect(303, url('/?reset=1'));
  }));

  return router;
}
