import { readForm, send } from '../support/platform/browser-http';
import { launchAs, type ToolSession } from '../support/launch';
import { toolSuite } from '../support/suite';

const formOf = (session: ToolSession, html: string) => readForm(html, session.url)!;

describe('adding CMALT Portfolio to a course (deep linking)', () => {
  const suite = toolSuite();

  async function instructorChoosing() {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest', user: suite.platform.user({ name: 'Ivy Instructor' }) });
    expect(session.status).toBe(200);
    return session;
  }

  test('an instructor sees the pathways from the framework files and a CSRF-protected form', async () => {
    const session = await instructorChoosing();
    expect(session.html).toContain('Choose the pathway for this course');
    expect(session.html).toContain('Senior CMALT');
    expect(session.html).toMatch(/value="cmalt:cmalt"/);
    const form = formOf(session, session.html);
    expect(new URL(form.action).pathname).toBe('/deep-linking');
    expect(form.fields._csrf).toBeTruthy();
    expect(form.fields.ltik).toBe(session.ltik);
  });

  test('choosing a pathway returns one signed LtiResourceLink with the progress line item to the VLE', async () => {
    const session = await instructorChoosing();
    const form = formOf(session, session.html);
    const answer = await session.post('/deep-linking', { ...form.fields, pathway: 'cmalt:senior' });
    expect(answer.status).toBe(200);
    const back = readForm(answer.html, answer.url)!;
    expect(back.action.startsWith(`${suite.platform.baseUrl}/deep-link-return`)).toBe(true);
    expect(answer.html).toContain('/public/js/autosubmit.js');
    const returned = await send(session.jar, back.action, { method: 'POST', form: back.fields });
    expect(returned.status).toBe(200);
    const entry = suite.platform.deepLinkReturns[suite.platform.deepLinkReturns.length - 1];
    expect(entry.problems).toEqual([]);
    expect(entry.verified).toBe(true);
    const claims = entry.claims!;
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/message_type']).toBe('LtiDeepLinkingResponse');
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toBe(suite.tool.deploymentId);
    expect(claims.iss).toBe(suite.tool.clientId);
    expect(claims.aud).toBe(suite.platform.issuer);
    expect(claims['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toMatch(/^dl-/); // the VLE's data is echoed
    const items = claims['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<Record<string, any>>;
    expect(items).toHaveLength(1);
    expect(items[0].type).toBe('ltiResourceLink');
    expect(items[0].url).toBe(`${suite.tool.baseUrl}/lti/launch`);
    expect(items[0].lineItem).toMatchObject({ label: 'CMALT portfolio progress', scoreMaximum: 100, resourceId: 'cmalt-progress', tag: 'cmalt-progress' });
    expect(items[0].custom).toEqual({ cmalt_pathway: 'senior', cmalt_framework: 'cmalt' });
  });

  test('a pathway that is not offered gets the form again with a message, and nothing goes to the VLE', async () => {
    const session = await instructorChoosing();
    const before = suite.platform.deepLinkReturns.length;
    const answer = await session.post('/deep-linking', { ...formOf(session, session.html).fields, pathway: 'cmalt:made-up' });
    expect(answer.status).toBe(422);
    expect(answer.html).toContain('Choose one of the pathways listed.');
    expect(answer.html).not.toContain('name="JWT"');
    expect(suite.platform.deepLinkReturns.length).toBe(before);
  });

  test('a forged CSRF token is refused with a page and nothing is signed', async () => {
    const session = await instructorChoosing();
    const answer = await session.post('/deep-linking', { ...formOf(session, session.html).fields, _csrf: 'forged', pathway: 'cmalt:cmalt' });
    expect(answer.status).toBe(403);
    expect(answer.html).not.toContain('name="JWT"');
  });

  test('a learner sent a deep linking request is told only teaching staff can add the tool', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner', messageType: 'LtiDeepLinkingRequest' });
    expect(session.status).toBe(403);
    expect(session.html).toContain('Only teaching staff can add CMALT Portfolio to a course.');
  });

  test('the pathway form cannot be used from an ordinary course launch', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Instructor' });
    expect(session.ok).toBe(true);
    const answer = await session.post('/deep-linking', { pathway: 'cmalt:cmalt' });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('This page is only for adding CMALT Portfolio to a course from your VLE.');
    expect(answer.html).not.toContain('name="JWT"');
  });
});
