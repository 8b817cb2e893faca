import { allowPortfolio, Asker, can } from '../../src/portfolio/policy';

const candidate = (over: Partial<Asker> = {}): Asker => ({ userId: 'u1', courseId: 'c1', roles: ['candidate'], role: 'candidate', ...over });
const mine = { userId: 'u1', courseId: 'c1' };

describe('portfolio policy', () => {
  test('a candidate can view and edit their own portfolio in this course', async () => {
    expect(await can(candidate(), 'view', mine)).toBe(true);
    expect(await can(candidate(), 'edit', mine)).toBe(true);
  });

  test('a candidate cannot view or edit another candidate’s portfolio', async () => {
    expect(await can(candidate({ userId: 'u2' }), 'view', mine)).toBe(false);
    expect(await can(candidate({ userId: 'u2' }), 'edit', mine)).toBe(false);
  });

  test('the same person in another course cannot reach this course’s portfolio', async () => {
    expect(await can(candidate({ courseId: 'c2' }), 'view', mine)).toBe(false);
  });

  test('only candidates start portfolios', async () => {
    expect(await can(candidate(), 'create', null)).toBe(true);
    expect(await can(candidate({ roles: ['mentor'], role: 'mentor' }), 'create', null)).toBe(false);
  });

  test('another capability can grant read access, never across courses', async () => {
    allowPortfolio((who, action, p) => who.role === 'mentor' && action === 'view' && !!p);
    const mentor = { userId: 'm1', courseId: 'c1', roles: ['mentor'], role: 'mentor' };
    expect(await can(mentor, 'view', mine)).toBe(true);
    expect(await can(mentor, 'edit', mine)).toBe(false);
    expect(await can({ ...mentor, courseId: 'c2' }, 'view', mine)).toBe(false);
  });
});
