import { describeRoleKey, mapRoles, parseRole, defaultRolesForKey } from '../../src/people/roles';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const I = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person';
const S = 'http://purl.imsglobal.org/vocab/lis/v2/system/person';

describe('parseRole', () => {
  it.each([
    [`${M}#Learner`, 'context:Learner'],
    [`${M}#Instructor`, 'context:Instructor'],
    [`${M}/Instructor#TeachingAssistant`, 'context:Instructor#TeachingAssistant'],
    [`${M}/Learner#NonCreditLearner`, 'context:Learner#NonCreditLearner'],
    [`${I}#Administrator`, 'institution:Administrator'],
    [`${I}#Student`, 'institution:Student'],
    [`${S}#Administrator`, 'system:Administrator'],
    [`${S}#SysAdmin`, 'system:SysAdmin'],
    ['http://purl.imsglobal.org/vocab/lti/system/person#TestUser', 'system:TestUser'],
    ['Learner', 'context:Learner'],
    ['Instructor', 'context:Instructor'],
    ['ContentDeveloper', 'context:ContentDeveloper'],
    ['urn:lti:role:ims/lis/TeachingAssistant', 'context:TeachingAssistant'],
    ['urn:lti:role:ims/lis/Instructor/TeachingAssistant', 'context:Instructor#TeachingAssistant'],
    ['urn:lti:instrole:ims/lis/Administrator', 'institution:Administrator'],
    ['urn:lti:sysrole:ims/lis/SysAdmin', 'system:SysAdmin'],
  ])('reads %s as %s', (raw, key) => {
    expect(parseRole(raw)?.key).toBe(key);
  });

  it.each(['', '   ', 'http://example.com/roles#Instructor', 'Student', 'Administrator:x', `${M}/Instructor`])(
    'does not understand %p',
    (raw) => {
      expect(parseRole(raw)).toBeNull();
    },
  );
});

describe('mapRoles defaults', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['a learner is a candidate', [`${M}#Learner`], ['candidate']],
    ['a learner sub-role is a candidate', [`${M}/Learner#GuestLearner`], ['candidate']],
    ['the short form Learner is a candidate', ['Learner'], ['candidate']],
    ['a teaching assistant sub-role is a mentor', [`${M}/Instructor#TeachingAssistant`], ['mentor']],
    ['a TA sent with its Instructor principal is a mentor, not a coordinator', [`${M}#Instructor`, `${M}/Instructor#TeachingAssistant`], ['mentor']],
    ['an LTI 1.1 TeachingAssistant is a mentor', ['urn:lti:role:ims/lis/TeachingAssistant'], ['mentor']],
    ['a grader is a mentor', [`${M}/Instructor#Grader`], ['mentor']],
    ['a TA section role is a mentor', [`${M}/Instructor#TeachingAssistantSection`], ['mentor']],
    ['a Mentor is a mentor', [`${M}#Mentor`], ['mentor']],
    ['a Mentor sub-role is a mentor', [`${M}/Mentor#Advisor`], ['mentor']],
    ['an Instructor is a coordinator and a mentor', [`${M}#Instructor`], ['coordinator', 'mentor']],
    ['the short form Instructor is a coordinator', ['Instructor'], ['coordinator', 'mentor']],
    ['a primary instructor is a coordinator', [`${M}/Instructor#PrimaryInstructor`], ['coordinator', 'mentor']],
    ['a content developer is a coordinator', [`${M}#ContentDeveloper`], ['coordinator', 'mentor']],
    ['a context Administrator is a coordinator', [`${M}#Administrator`], ['coordinator', 'mentor']],
    ['the short form Administrator is a context coordinator, not an installer', ['Administrator'], ['coordinator', 'mentor']],
    ['an institution Administrator has installer rights', [`${I}#Administrator`], ['installer']],
    ['a system Administrator has installer rights', [`${S}#Administrator`], ['installer']],
    ['a system SysAdmin has installer rights', [`${S}#SysAdmin`], ['installer']],
    ['an LTI 1.1 institution Administrator has installer rights', ['urn:lti:instrole:ims/lis/Administrator'], ['installer']],
    ['an administrator teaching the course is installer, coordinator and mentor', [`${I}#Administrator`, `${M}#Instructor`], ['installer', 'coordinator', 'mentor']],
    ['an institution Student alone maps to nothing', [`${I}#Student`], []],
    ['an institution Instructor alone maps to nothing', [`${I}#Instructor`], []],
    ['a system User alone maps to nothing', [`${S}#User`], []],
    ['a test user alone maps to nothing', ['http://purl.imsglobal.org/vocab/lti/system/person#TestUser'], []],
    ['a Member maps to nothing by default', [`${M}#Member`], []],
    ['a Manager maps to nothing by default', [`${M}#Manager`], []],
    ['no roles map to nothing', [], []],
    ['a learner who is also a mentor holds both', [`${M}#Learner`, `${M}#Mentor`], ['mentor', 'candidate']],
  ];
  it.each(cases)('%s', (_name, roles, expected) => {
    expect(mapRoles(roles).roles).toEqual(expected);
  });

  it('the primary role is the highest', () => {
    expect(mapRoles([`${M}#Learner`, `${M}#Instructor`]).primary).toBe('coordinator');
    expect(mapRoles([`${I}#Student`]).primary).toBeNull();
  });

  it('keeps what it did not understand, and each understood role once', () => {
    const result = mapRoles([`${M}#Learner`, 'Learner', 'http://example.com/custom#Thing']);
    expect(result.seen.map((r) => r.key)).toEqual(['context:Learner']);
    expect(result.unrecognised).toEqual(['http://example.com/custom#Thing']);
  });

  it('ignores values that are not strings', () => {
    expect(mapRoles([42 as unknown as string, `${M}#Learner`]).roles).toEqual(['candidate']);
  });
});

describe('mapRoles with course overrides', () => {
  it('an override gives a Member the mentor role', () => {
    expect(mapRoles([`${M}#Member`], { 'context:Member': ['mentor'] }).roles).toEqual(['mentor']);
  });
  it('an override can take a role away', () => {
    expect(mapRoles([`${M}#Mentor`], { 'context:Mentor': [] }).roles).toEqual([]);
  });
  it('an override applies to the short form too', () => {
    expect(mapRoles(['Instructor'], { 'context:Instructor': ['mentor'] }).roles).toEqual(['mentor']);
  });
  it('an override cannot grant installer rights', () => {
    const overrides = { 'context:Learner': ['installer'] } as unknown as Record<string, []>;
    expect(mapRoles([`${M}#Learner`], overrides).roles).toEqual([]);
  });
  it('an override cannot take installer rights from an institution Administrator', () => {
    expect(mapRoles([`${I}#Administrator`], { 'institution:Administrator': [] }).roles).toEqual(['installer']);
  });
  it('an override of a sub-role leaves the principal alone', () => {
    const overrides = { 'context:Instructor#TeachingAssistant': ['coordinator' as const] };
    expect(mapRoles([`${M}/Instructor#TeachingAssistant`], overrides).roles).toEqual(['coordinator', 'mentor']);
    expect(mapRoles([`${M}#Instructor`], overrides).roles).toEqual(['coordinator', 'mentor']);
  });
});

describe('role keys for the course role page', () => {
  it('describes keys in words', () => {
    expect(describeRoleKey('context:Instructor#TeachingAssistant')).toBe('Teaching assistant (Instructor)');
    expect(describeRoleKey('context:ContentDeveloper')).toBe('Content developer');
    expect(describeRoleKey('institution:Administrator')).toBe('Administrator (institution)');
  });
  it('gives the default app roles of a key', () => {
    expect(defaultRolesForKey('context:Learner')).toEqual(['candidate']);
    expect(defaultRolesForKey('context:Instructor#TeachingAssistant')).toEqual(['mentor']);
    expect(defaultRolesForKey('institution:Administrator')).toEqual([]);
    expect(defaultRolesForKey('nonsense')).toEqual([]);
  });
});
