import { toolSuite } from '../support/suite';
import { launched, text } from '../mentoring/people';
import { FundingAllocation, FundingYear } from '../../src/scheme/funding.model';
import { Portfolio } from '../../src/portfolio';
import { financialYearOf, FUNDING_MESSAGES } from '../../src/scheme/funding.service';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

// The tool's clock, moved by the test: allocations fall in the financial year this says.
let clockNow = new Date();
const suite = toolSuite({ tool: { clock: () => clockNow } });

// 31 March 2027 23:30 and 1 April 2027 00:30 in London (summer time from 28 March: UTC+1). The second is still
// 31 March in UTC, so a year read from the UTC date would put both in 2026-27.
const LAST_OF_MARCH = new Date('2027-03-31T22:30:00Z');
const FIRST_OF_APRIL = new Date('2027-03-31T23:30:00Z');

describe('funded submissions per financial year', () => {
  test('the financial year turns at the first month in the institution’s time zone', () => {
    expect(financialYearOf(LAST_OF_MARCH).label).toBe('2026-27');
    expect(financialYearOf(FIRST_OF_APRIL).label).toBe('2027-28');
    expect(financialYearOf(FIRST_OF_APRIL).from.toISOString()).toBe('2027-03-31T23:00:00.000Z');
    // in winter London is on UTC: midnight is midnight
    expect(financialYearOf(new Date('2027-01-01T00:30:00Z'), 1).label).toBe('2027');
    expect(financialYearOf(new Date('2026-12-31T23:30:00Z'), 1).label).toBe('2026');
    expect(financialYearOf(new Date('2026-08-31T23:30:00Z'), 9).label).toBe('2026-27'); // 1 September 00:30 BST
  });

  test('allocated across the year boundary, never more than the year’s number (even at once), released on withdrawal, outcomes from the submission record', async () => {
    clockNow = new Date();
    const course = suite.platform.course({ title: 'Funding course' });
    const other = suite.platform.course({ title: 'Other funding course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Fund' }));
    const cory = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cory Fund' }));
    const otherCora = await launched(suite.tool, suite.platform, other, 'Instructor', suite.platform.user({ name: 'Olly Fund' }));
    expect((await otherCora.post('/scheme/manage/settings', schemeSettings())).status).toBe(200);

    // No settings yet: the page says what to do first, and nothing can be allocated.
    const unset = await cora.get('/scheme/manage/funding');
    expect(unset.status).toBe(409);
    expect(text(unset.html)).toContain(FUNDING_MESSAGES.noScheme);
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ places: '12', fundedPerYear: '8', fee: '250' }))).status).toBe(200);

    const names = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Fi', 'Gus', 'Hal', 'Ivy', 'Jo', 'Lu'].map((n) => `${n} Fund`);
    const people = [];
    for (const name of names) people.push(await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, name));
    const waiting = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Kit Fund', { accept: false });
    const [ada, bo, ...rest] = people;
    const courseId = ada.courseId;
    const allocate = (who: typeof cora, applicationId: string) => who.post('/scheme/manage/funding/allocate', { applicationId });

    // The choice: those with a place, each with how ready they are (no portfolio yet, signed off, or with ALT).
    const cy = people[2];
    expect((await cy.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Learning design' })).status).toBe(200);
    await Portfolio.updateOne({ courseId, userId: cy.userId }, { $set: { signedOffAt: new Date() } }); // the final review's sign-off (tested in test/cohort)
    const choice = await cora.get('/scheme/manage/funding');
    expect(/<option value="([0-9a-f]{24})">/.exec(choice.html)![1]).toBe(cy.applicationId); // signed off: first
    expect(choice.html).toContain('Cy Fund (City campus): signed off, ready to submit</option>');
    expect(choice.html).toContain(`<option value="${bo.applicationId}">Bo Fund (City campus): no portfolio yet</option>`);
    expect(choice.html).not.toContain(`<option value="${waiting.applicationId}"`);

    // Bad input and URL guessing: each refused, nothing stored.
    expect((await allocate(cora, '')).status).toBe(422);
    expect((await allocate(cora, 'not-an-id')).status).toBe(422);
    const noPlace = await allocate(cora, waiting.applicationId);
    expect(noPlace.status).toBe(409);
    expect(text(noPlace.html)).toContain(FUNDING_MESSAGES.noPlace);
    expect((await ada.s.get('/scheme/manage/funding')).status).toBe(403);
    expect((await ada.s.post('/scheme/manage/funding/allocate', { applicationId: ada.applicationId })).status).toBe(403);
    expect((await allocate(otherCora, ada.applicationId)).status).toBe(404);
    expect(await FundingAllocation.countDocuments({})).toBe(0);

    // 31 March 23:30 and 1 April 00:30, London time: two financial years.
    clockNow = LAST_OF_MARCH;
    expect((await allocate(cora, ada.applicationId)).status).toBe(200);
    clockNow = FIRST_OF_APRIL;
    const second = await allocate(cora, bo.applicationId);
    expect(second.status).toBe(200);
    expect(text(second.html)).toContain('Financial year 2027-28');
    expect(text(second.html)).toContain('1 of 8 funded submissions allocated; 7 left.');
    expect((await FundingAllocation.findOne({ applicationId: ada.applicationId }).lean())!.fy).toBe('2026-27');
    expect((await FundingAllocation.findOne({ applicationId: bo.applicationId }).lean())!.fy).toBe('2027-28');
    // Each candidate's own page says so, with the financial year; someone not funded sees no such line.
    expect(text((await ada.s.get('/scheme')).html)).toContain('Funded submission Yes: your submission to ALT is funded from the 2026-27 financial year (allocated on 31 March 2027 at 23:30).');
    expect(text((await bo.s.get('/scheme')).html)).toContain('funded from the 2027-28 financial year');
    expect((await rest[0].s.get('/scheme')).html).not.toContain('id="funded-submission"');
    const twice = await allocate(cora, bo.applicationId);
    expect(twice.status).toBe(409);
    expect(text(twice.html)).toContain(FUNDING_MESSAGES.already('2027-28'));

    // Six more in 2027-28, then two coordinators allocate the eighth at the same moment: one wins.
    for (const p of rest.slice(0, 6)) expect((await allocate(cora, p.applicationId)).status).toBe(200);
    const [p8, p9, p10] = rest.slice(6);
    const race = await Promise.all([allocate(cora, p8.applicationId), allocate(cory, p9.applicationId)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await FundingYear.findOne({ courseId, fy: '2027-28' }).lean())!.used).toBe(8);
    expect(await FundingAllocation.countDocuments({ courseId, fy: '2027-28', releasedAt: null })).toBe(8);
    const loser = race[0].status === 409 ? p8 : p9;

    // A ninth: refused with the reason, nothing changed.
    const ninth = await allocate(cora, p10.applicationId);
    expect(ninth.status).toBe(409);
    expect(text(ninth.html)).toContain(FUNDING_MESSAGES.full(8, '2027-28'));
    expect(await FundingAllocation.countDocuments({ courseId })).toBe(9); // one in 2026-27, eight in 2027-28
    const page = await cora.get('/scheme/manage/funding');
    expect(text(page.html)).toContain('8 of 8 funded submissions allocated; 0 left.');
    expect(text(page.html)).toContain('Spend £2,000 of a budget of £2,000 (£250 a submission).');

    // A withdrawal gives the allocation back; the refused candidate can then have it.
    const gone = rest[0];
    expect((await gone.s.post('/scheme/place/withdraw', { reason: 'A new job.' })).status).toBe(200);
    const after = await cora.get('/scheme/manage/funding');
    expect(text(after.html)).toContain('7 of 8 funded submissions allocated; 1 left.');
    expect(text(after.html)).toContain('Released on');
    expect(text(after.html)).toContain('The candidate withdrew from the learning set.');
    expect((await allocate(cora, loser.applicationId)).status).toBe(200);

    // The coordinator releases one; releasing it again, or from another course, is refused.
    const boAllocation = (await FundingAllocation.findOne({ applicationId: bo.applicationId }).lean())!;
    expect((await otherCora.post(`/scheme/manage/funding/${boAllocation._id}/release`)).status).toBe(404);
    expect((await FundingAllocation.findById(boAllocation._id).lean())!.releasedAt).toBeNull();
    expect((await cora.post(`/scheme/manage/funding/${boAllocation._id}/release`, { reason: 'Not ready this year.' })).status).toBe(200);
    const again = await cora.post(`/scheme/manage/funding/${boAllocation._id}/release`);
    expect(again.status).toBe(409);
    expect(text(again.html)).toContain(FUNDING_MESSAGES.alreadyReleased);
    expect((await FundingYear.findOne({ courseId, fy: '2027-28' }).lean())!.used).toBe(7);
    expect((await FundingYear.findOne({ courseId, fy: '2026-27' }).lean())!.used).toBe(1);

    // Outcomes come from the submission record: Ada submits and passes.
    expect((await ada.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' })).status).toBe(200);
    const portfolioId = String((await Portfolio.findOne({ courseId, userId: ada.userId }).lean())!._id);
    const today = new Date().toISOString().slice(0, 10);
    expect((await ada.s.post(`/export/portfolios/${portfolioId}/submission`, { kind: 'first', route: 'url', submittedOn: today })).status).toBe(200);
    expect(text((await cora.get('/scheme/manage/funding')).html)).toContain('Submitted, awaiting ALT’s outcome');
    expect((await cora.post(`/export/portfolios/${portfolioId}/submission/outcome`, { result: 'pass', decidedOn: today, certifiedOn: today })).status).toBe(200);
    expect(text((await cora.get('/scheme/manage/funding')).html)).toMatch(/Ada Fund.*2026-27.*Passed/);

    // Allocations come 20 a page, newest first (earlier years' released ones written straight in).
    const total = await FundingAllocation.countDocuments({ courseId });
    await FundingAllocation.insertMany(Array.from({ length: 20 }, (_, i) => ({ courseId, applicationId: `old-${i}`, userId: `old-${i}`, name: `Earlier ${i}`, fy: '2024-25', allocatedAt: new Date(Date.UTC(2024, 5, 1 + i)), releasedAt: new Date(Date.UTC(2025, 0, 1)) })));
    const first = await cora.get('/scheme/manage/funding');
    expect(text(first.html)).toContain(`${total + 20} allocations, page 1 of 2.`);
    expect(first.html).not.toContain('Earlier 0<');
    const last = await cora.get('/scheme/manage/funding', { page: '2' });
    expect(text(last.html)).toContain('page 2 of 2');
    expect(last.html).toContain('Earlier 0');
    expect(last.html).not.toContain('Ada Fund');
  });
});
