import { AssessorLink, AssessorOpening } from '../../src/export/assessor.model';
import { sectionNow } from '../mentoring/people';
import { toolSuite } from '../support/suite';
import { aWrittenPortfolio, candidateWithPortfolio, text } from './people';

const suite = toolSuite();

/** A visitor with no cookies and no VLE: what an assessor's browser does with the link. */
async function visit(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, html: body.toString('utf8') };
}
const postCode = (url: string, code: string) =>
  visit(url, { method: 'POST', body: new URLSearchParams({ code }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

const linkIn = (html: string) => html.match(/id="new-link" type="text" readonly value="([^"]+)"/)?.[1] ?? '';
const codeIn = (html: string) => html.match(/id="new-code">([A-Z0-9]+)</)?.[1] ?? '';

describe('assessor links', () => {
  test('a link opens a frozen copy from a cookieless client, logs each opening for the candidate, and stops at once when withdrawn', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Link');
    const base = `/export/portfolios/${w.portfolioId}/links`;
    const made = await w.cat.session.post(base, { expires: '' });
    expect(made.status).toBe(422); // no expiry date: nothing made
    expect(await AssessorLink.countDocuments({ portfolioId: w.portfolioId })).toBe(0);
    const page = await w.cat.session.get(base);
    const expires = page.html.match(/id="expires" name="expires" type="date" value="([\d-]+)"/)![1];
    expect(Math.round((Date.parse(expires) - Date.now()) / 86_400_000 / 30)).toBe(4); // four months by default
    const created = await w.cat.session.post(base, { expires });
    expect(created.status).toBe(200);
    const url = linkIn(created.html);
    const token = url.split('/').pop()!;
    expect(Buffer.from(token, 'base64url').length).toBe(32); // 256 bits
    const stored = (await AssessorLink.findOne({ portfolioId: w.portfolioId }).lean())!;
    expect(JSON.stringify(stored)).not.toContain(token); // only its hash

    // the candidate keeps working: the assessors' copy does not change
    const contextual = w.cat.id('contextual');
    const v = (await sectionNow(contextual)).version;
    await w.cat.session.post(`/portfolio/sections/${contextual}`, { baseVersion: String(v), format: 'text', body: 'Rewritten after submission.' });

    const opened = await visit(url, { headers: { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0' } });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('set-cookie')).toBeNull();
    expect(opened.headers.get('x-robots-tag')).toContain('noindex');
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.html).toContain('<meta name="robots" content="noindex, nofollow">');
    const t = text(opened.html);
    expect(t).toContain('I work at <script>alert(1)</script> Example University.');
    expect(t).not.toContain('Rewritten after submission.');
    expect(t).not.toContain('Draft'); // section states are for the course, not the assessors
    const download = opened.html.match(/href="(\/assessor\/[^"]+\/evidence\/[a-f0-9]{24})"/)![1];
    const file = await visit(new URL(download, url).toString());
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');

    const listed = text((await w.cat.session.get(base)).html);
    expect(listed).toContain('opened 1 time');
    expect(listed).toContain('Chrome on Windows, from 127.0.0.0/24');

    // withdrawn: a plain page, and nothing else changes
    const id = String(stored._id);
    expect((await w.cat.session.post(`${base}/${id}/revoke`, {})).status).toBe(200);
    const after = await visit(url);
    expect(after.status).toBe(410);
    expect(text(after.html)).toContain('This link has been withdrawn');
    expect((await visit(new URL(download, url).toString())).status).toBe(410);
    expect(await AssessorOpening.countDocuments({ link: stored._id })).toBe(1);
  });

  test('an access code: asked for, a wrong one refused, the right one opens with downloads; expiry changed, then passed', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Code');
    const base = `/export/portfolios/${w.portfolioId}/links`;
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = await w.cora.post(base, { expires, withCode: 'yes' }); // the coordinator may make one too
    const url = linkIn(created.html);
    const code = codeIn(created.html);
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    const asked = await visit(url);
    expect(asked.status).toBe(200);
    expect(text(asked.html)).toContain('Access code');
    expect(text(asked.html)).not.toContain('Choosing a quiz tool');
    const wrong = await postCode(url, 'WRONGCODE1');
    expect(wrong.status).toBe(403);
    expect(text(wrong.html)).toContain('That access code is not right.');
    const right = await postCode(url, code.toLowerCase());
    expect(right.status).toBe(200);
    expect(text(right.html)).toContain('Choosing a quiz tool');
    const download = right.html.match(/href="(\/assessor\/[^"]+\/evidence\/[a-f0-9]{24}\?k=[^"]+)"/)![1].replace(/&amp;/g, '&');
    expect((await visit(new URL(download, url).toString())).status).toBe(200);
    expect((await visit(new URL(download.replace(/\?k=.*/, ''), url).toString())).status).toBe(403); // no key, no file

    const link = (await AssessorLink.findOne({ portfolioId: w.portfolioId }).lean())!;
    const bad = await w.cat.session.post(`${base}/${link._id}/expiry`, { expires: '2001-01-01' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Choose an expiry date between tomorrow');
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect((await w.cat.session.post(`${base}/${link._id}/expiry`, { expires: later })).status).toBe(200);
    expect((await AssessorLink.findById(link._id).lean())!.expiresAt.toISOString().slice(0, 10)).toBe(later);
    await AssessorLink.updateOne({ _id: link._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await visit(url);
    expect(expired.status).toBe(410);
    expect(text(expired.html)).toContain('This link has expired');
    expect((await visit(`${suite.tool.baseUrl}/assessor/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await visit(`${suite.tool.baseUrl}/assessor/not-a-token`)).status).toBe(404);
  });

  test('only the candidate and the coordinator make or change links: a mentor, another candidate and another course are refused', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Who');
    const elsewhere = await aWrittenPortfolio(suite.tool, suite.platform, 'Who else');
    const peer = await candidateWithPortfolio(suite.tool, suite.platform, w.course, 'Pat Who');
    const base = `/export/portfolios/${w.portfolioId}/links`;
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await w.cat.session.post(base, { expires });
    const link = (await AssessorLink.findOne({ portfolioId: w.portfolioId }).lean())!;
    for (const session of [w.mo, peer, elsewhere.cora, elsewhere.cat.session]) {
      expect((await session.get(base)).status).toBe(404);
      expect((await session.post(base, { expires })).status).toBe(404);
      expect((await session.post(`${base}/${link._id}/revoke`, {})).status).toBe(404);
      expect((await session.post(`${base}/${link._id}/expiry`, { expires })).status).toBe(404);
    }
    // a link of another portfolio, through this one's URL
    const otherBase = `/export/portfolios/${elsewhere.portfolioId}/links`;
    await elsewhere.cat.session.post(otherBase, { expires });
    const other = (await AssessorLink.findOne({ portfolioId: elsewhere.portfolioId }).lean())!;
    expect((await w.cat.session.post(`${base}/${other._id}/revoke`, {})).status).toBe(404);
    expect((await AssessorLink.findById(other._id).lean())!.revokedAt).toBeNull();
    expect(await AssessorLink.countDocuments({ portfolioId: w.portfolioId })).toBe(1);
    expect((await AssessorLink.findById(link._id).lean())!.revokedAt).toBeNull();
    // without a CSRF token nothing is made
    const noCsrf = await w.cat.session.post(base, { expires, _csrf: 'nope' }, { headers: { 'X-CSRF-Token': 'nope' } });
    expect(noCsrf.status).toBe(403);
    expect(await AssessorLink.countDocuments({ portfolioId: w.portfolioId })).toBe(1);
  });

  test('guessing access codes is cut off after ten wrong tries, with a plain page, and the link is unchanged', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Guessing');
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const url = linkIn((await w.cat.session.post(`/export/portfolios/${w.portfolioId}/links`, { expires, withCode: 'yes' })).html);
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await postCode(url, `GUESS${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    const cut = await postCode(url, 'GUESS11');
    expect(cut.status).toBe(429);
    expect(text(cut.html)).toContain('Too many requests for this page');
    const link = (await AssessorLink.findOne({ portfolioId: w.portfolioId }).lean())!;
    expect(link).toMatchObject({ openings: 0, revokedAt: null });
  });
});
