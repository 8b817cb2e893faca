import { toolSuite } from '../support/suite';
import { aCandidate, aCoordinator, text } from '../support/factories';
import { CookieJar, send } from '../support/platform/browser-http';
import { RefereeRequest } from '../../src/referees';
import { checkRefereeToken, refereeToken } from '../../src/referees/link';

/** A referee with no VLE account writes a statement through a signed, expiring link; the candidate sees only that it arrived. */
const suite = toolSuite();

async function fellow(name: string, course = suite.platform.course({ title: `${name}'s course` })) {
  const extra = { custom: { cmalt_pathway: 'd2', cmalt_framework: 'psf-2023' } };
  return (await aCandidate(suite, { course, user: suite.platform.user({ name }), pathway: 'd2', extra })).session;
}

test('a referee statement arrives through its link once; the candidate sees that it arrived, not what it says', async () => {
  const ourCourse = suite.platform.course({ title: 'Referee course' });
  const s = await fellow('Rhea Referred', ourCourse);
  expect(text((await s.get('/portfolio')).html)).toContain('Referees: ask for statements');
  const empty = await s.post('/referees', { refereeName: '', relationship: '' });
  expect(empty.status).toBe(422);
  expect(text(empty.html)).toContain('Please give the referee’s name.');
  expect(await RefereeRequest.countDocuments({})).toBe(0);

  const asked = await s.post('/referees', { refereeName: 'Prof Ruth Reader', relationship: 'Head of department' });
  expect(asked.status).toBe(201);
  const token = /\/referee\/([A-Za-z0-9._-]+)"/.exec(asked.html)![1];
  expect(text(asked.html)).toContain('Prof Ruth Reader (Head of department): Waiting');

  // The referee: no VLE, no session, only the link.
  const jar = new CookieJar();
  const url = `${suite.tool.baseUrl}/referee/${token}`;
  const page = await send(jar, url);
  expect(page.status).toBe(200);
  expect(text(page.html)).toContain('Descriptor 2: Fellow');
  const blank = await send(jar, url, { method: 'POST', form: { statement: '   ' } });
  expect(blank.status).toBe(422);
  expect(text(blank.html)).toContain('Please write your statement before sending it.');
  const sent = await send(jar, url, { method: 'POST', form: { statement: 'I have observed Rhea teach for three years. <script>alert(1)</script>' } });
  expect(sent.status).toBe(200);
  expect(text(sent.html)).toContain('Your statement has arrived');
  const again = await send(jar, url, { method: 'POST', form: { statement: 'A second try' } });
  expect(again.status).toBe(410);
  const stored = (await RefereeRequest.findOne({}).lean())!;
  expect(stored.statement).toContain('I have observed Rhea teach for three years.');
  expect(stored.statement).not.toContain('<script>');
  expect(stored.statement).not.toContain('A second try');

  // The candidate sees that it arrived, never the words.
  const mine = text((await s.get('/referees')).html);
  expect(mine).toMatch(/Prof Ruth Reader \(Head of department\): Arrived on/);
  expect(mine).not.toContain('observed Rhea');

  // The course's coordinator reads it; a coordinator elsewhere, or the candidate, does not.
  const course = (await RefereeRequest.findOne({}).lean())!.courseId;
  expect(course).toBeTruthy();
  const { session: coordinator } = await aCoordinator(suite, { course: ourCourse, name: 'Cora Coordinator' });
  const read = text((await coordinator.get('/referees/course')).html);
  expect(read).toContain('Rhea Referred: from Prof Ruth Reader');
  expect(read).toContain('I have observed Rhea teach for three years.');
  const { session: elsewhere } = await aCoordinator(suite, { course: suite.platform.course(), name: 'Ed Elsewhere' });
  expect(text((await elsewhere.get('/referees/course')).html)).toContain('No statements have arrived yet.');
  expect((await s.get('/referees/course')).status).toBe(403);

  // A changed link, or one made with another key, opens nothing.
  const [id, expires, mac] = token.split('.');
  expect((await send(jar, `${suite.tool.baseUrl}/referee/${id}.${Number(expires) + 86400}.${mac}`)).status).toBe(404);
  expect((await send(jar, `${suite.tool.baseUrl}/referee/${refereeToken('another-key', id, new Date(Number(expires) * 1000))}`)).status).toBe(404);
  expect((await send(jar, `${suite.tool.baseUrl}/referee/nonsense`)).status).toBe(404);
  // After its expiry the link is refused as expired.
  expect(checkRefereeToken(suite.tool.config.ltiKey, token, new Date((Number(expires) + 1) * 1000))).toEqual({ ok: false, reason: 'expired' });
});

test('the scheme’s number of referees is a limit; another candidate sees none of them; a framework without referees has no page', async () => {
  const s = await fellow('Tess Two');
  expect((await s.post('/referees', { refereeName: 'A One', relationship: '' })).status).toBe(201);
  expect((await s.post('/referees', { refereeName: 'B Two', relationship: '' })).status).toBe(201);
  const third = await s.post('/referees', { refereeName: 'C Three', relationship: '' });
  expect(third.status).toBe(422);
  expect(text(third.html)).toContain('You already have 2 referees asked or received');
  expect(await RefereeRequest.countDocuments({ refereeName: 'C Three' })).toBe(0);
  const other = await fellow('Ozzy Other');
  expect(text((await other.get('/referees')).html)).not.toContain('A One');
  const { session: cmalt } = await aCandidate(suite, { course: suite.platform.course(), user: suite.platform.user({ name: 'Cy Cmalt' }), specialist: 'Video' });
  expect((await cmalt.get('/referees')).status).toBe(404);
});
