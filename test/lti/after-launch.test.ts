/* Course-level after-launch hooks run when what they keep changes, not on every launch. */
import { whenCourseFactsChange, type AfterLaunch } from '../../src/lti/launch';
import type { LaunchFacts, RecordedLaunch } from '../../src/lti/launch.service';

const facts = (over: Partial<LaunchFacts> = {}): LaunchFacts => ({
  issuer: 'https://vle.example.ac.uk',
  clientId: 'client-1',
  deploymentId: 'dep-1',
  sub: 'user-1',
  name: 'Ann Example',
  contextId: 'course-1',
  ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
  messageType: 'LtiResourceLinkRequest',
  resourceLinkId: 'link-1',
  ags: { lineitems: 'https://vle.example.ac.uk/ags/lineitems', scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'] },
  returnUrl: 'https://vle.example.ac.uk/course/1',
  ...over,
});
const recorded: RecordedLaunch = { userId: 'u1', courseId: 'c1', roles: ['candidate'] };

function counting(fail = 0): { hook: AfterLaunch; calls: LaunchFacts[] } {
  const calls: LaunchFacts[] = [];
  let failures = fail;
  return {
    calls,
    hook: async (f) => {
      calls.push(f);
      if (failures-- > 0) throw new Error('the VLE is down');
    },
  };
}

describe('whenCourseFactsChange', () => {
  test('another person launching the same link does not run the hook again', async () => {
    const { hook, calls } = counting();
    const once = whenCourseFactsChange(hook);
    await once(facts(), recorded);
    await once(facts({ sub: 'user-2', name: 'Bo Other' }), { ...recorded, userId: 'u2' });
    expect(calls).toHaveLength(1);
  });

  test('a changed line item, roster URL, return URL or another course runs it again', async () => {
    const { hook, calls } = counting();
    const once = whenCourseFactsChange(hook);
    await once(facts(), recorded);
    await once(facts({ ags: { lineitem: 'https://vle.example.ac.uk/ags/lineitems/9' } }), recorded);
    await once(facts({ nrps: { context_memberships_url: 'https://vle.example.ac.uk/nrps/1' } }), recorded);
    await once(facts({ returnUrl: 'https://vle.example.ac.uk/course/1?section=2' }), recorded);
    await once(facts(), { ...recorded, courseId: 'c2' });
    expect(calls).toHaveLength(5);
  });

  test('a hook that failed runs again on the next launch', async () => {
    const { hook, calls } = counting(1);
    const once = whenCourseFactsChange(hook);
    await expect(once(facts(), recorded)).rejects.toThrow('the VLE is down');
    await once(facts(), recorded);
    await once(facts(), recorded);
    expect(calls).toHaveLength(2);
  });

  test('after its time to live the same facts are written again (a document removed meanwhile comes back)', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') }); // Date.now() moves only when told
    try {
      const { hook, calls } = counting();
      const once = whenCourseFactsChange(hook, 60_000);
      await once(facts(), recorded);
      jest.setSystemTime(Date.now() + 59_999);
      await once(facts(), recorded);
      expect(calls).toHaveLength(1);
      jest.setSystemTime(Date.now() + 2);
      await once(facts(), recorded);
      expect(calls).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
