import { RefusingCookieJar, send } from '../support/platform/browser-http';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { launchThroughStorage } from './storage-launch';

const MINUTE = 60_000;

/** The tool's clock runs `ahead` ms in front of the real one: a test moves time instead of sleeping. */
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe('a cookieless (platform-storage) session lasts 2 hours', () => {
  const suite = toolSuite({ tool: { clock } });
  afterEach(() => {
    ahead = 0;
  });

  test('its pages open in the launching tab until 2 hours have passed, then say the session ended', async () => {
    const { session } = await launchThroughStorage(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok).toBe(true);
    expect(session.jar.list()).toEqual([]); // no cookie at all: the session is the cookieless kind

    ahead = 119 * MINUTE;
    const before = await session.get('/portfolio');
    expect(before.status).toBe(200);

    ahead = 121 * MINUTE;
    const after = await session.get('/portfolio');
    expect(after.status).toBe(401);
    expect(after.html).toContain('Your session has ended');
    const posted = await session.postJson('/portfolio/sections/anything', { body: 'x' });
    expect(posted.status).toBe(401); // a write is refused the same way, and changes nothing
  });

  test('after 2 hours the resume page buys no pass, even with the tab’s secret', async () => {
    const { session, bind } = await launchThroughStorage(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok && Boolean(bind)).toBe(true);
    const resume = () => send(new RefusingCookieJar(), `${suite.tool.baseUrl}/lti/session/pass`, { method: 'POST', form: { ltik: session.ltik!, to: '/portfolio', bind: bind! } });

    ahead = 100 * MINUTE;
    expect((await resume()).status).toBe(303); // within the 2 hours the secret still buys a pass

    ahead = 125 * MINUTE;
    const late = await resume();
    expect(late.status).toBe(401);
    expect(late.location).toBeUndefined();
    expect(late.html).toContain('Your session has ended');
  });

  test('a session with its cookie is not cut at 2 hours: it keeps the longer cookie-session length', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok).toBe(true);
    ahead = 3 * 60 * MINUTE;
    expect((await session.get('/portfolio')).status).toBe(200);
  });
});
