import { quietLogger } from '../../src/log';
import { createExportWorker } from '../../src/export';
import { ExportJob } from '../../src/export/job.model';
import { sectionNow } from '../mentoring/people';
import { toolSuite } from '../support/suite';
import { aWrittenPortfolio, candidateWithPortfolio, download, text } from './people';
import { readPdf } from './pdf-read';
import { unzip } from './unzip';

const suite = toolSuite();
const aWorker = () => createExportWorker({ log: quietLogger(), leaseMs: 60_000 });

describe('the export page and background builds', () => {
  test('checks and sizes before export; a build is queued, built once by one of two workers, kept, and rebuilt after a change', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Jobs');
    const base = `/export/portfolios/${w.portfolioId}/export`;
    const page = await w.cat.session.get(base);
    expect(page.status).toBe(200);
    const t = text(page.html);
    expect(t).toContain('1c Supporting the deployment of learning technologies: no examples yet.');
    expect(t).toContain('Future plans: not written yet.');
    expect(t).not.toMatch(/1b Technical knowledge[^.]*: 1 example/); // the corrected framework asks for one example or more in 1b
    expect(t).toContain('https://example.org/blog');
    expect(t).toMatch(/PDF: about \d+ KB\. Within ALT’s advice of 10 MB\./);
    expect(t).toContain('An export shows the portfolio as it is, gaps included.');
    expect(t).toContain('Not built yet.');

    const asked = await w.cat.session.post(base, { format: 'pdf' });
    expect(asked.status).toBe(200);
    expect(text(asked.html)).toContain('Waiting to start.');
    expect((await w.cat.session.post(base, { format: 'pdf' })).status).toBe(200); // asked twice: one job
    expect(await ExportJob.countDocuments({ portfolioId: w.portfolioId })).toBe(1);
    const status = await w.cat.session.get(`${base}/status`, {}, { headers: { Accept: 'application/json' } });
    expect(JSON.parse(status.html).pdf).toMatchObject({ state: 'queued', message: 'Waiting to start.' });

    const [a, b] = [aWorker(), aWorker()];
    const built = await Promise.all([a.drainOnce(), b.drainOnce()]);
    expect(built[0] + built[1]).toBe(1); // the lease: never built twice
    const job = (await ExportJob.findOne({ portfolioId: w.portfolioId }).lean())!;
    expect(job).toMatchObject({ status: 'done', progress: 'Ready', attempts: 1 });
    const ready = await w.cat.session.get(base);
    expect(text(ready.html)).toMatch(/Ready: built .*, \d+ KB\./);
    const href = ready.html.match(/href="([^"]+\/download[^"]*)"/)![1].replace(/&amp;/g, '&');
    const file = await download(w.cat.session, new URL(href, suite.tool.baseUrl).pathname);
    expect(file.status).toBe(200);
    const pdf = await readPdf(file.body);
    expect(pdf.text).toContain('Choosing a quiz tool');

    // unchanged: asking again finds the kept result
    await w.cat.session.post(base, { format: 'pdf' });
    expect(await ExportJob.countDocuments({ portfolioId: w.portfolioId })).toBe(1);
    // changed: the kept file is marked out of date and a new build is asked for
    const id = w.cat.id('future-plans');
    await w.cat.session.post(`/portfolio/sections/${id}`, { baseVersion: String((await sectionNow(id)).version), format: 'text', body: 'Lead the accessibility group.' });
    const stale = text((await w.cat.session.get(base)).html);
    expect(stale).toContain('The portfolio has changed since the last one was built');
    expect(stale).toContain('Download the PDF (earlier version)');
    await w.cat.session.post(base, { format: 'pdf' });
    await w.cat.session.post(base, { format: 'zip' });
    expect(await ExportJob.countDocuments({ portfolioId: w.portfolioId })).toBe(3);
    expect(await a.drainOnce()).toBe(2);
    const zipJob = (await ExportJob.findOne({ portfolioId: w.portfolioId, format: 'zip' }).lean())!;
    const zip = await download(w.cat.session, `${base}/${zipJob._id}/download`);
    const { names } = await unzip(zip.body);
    expect(names).toContain('leap2a.xml');

    // nobody else sees the page, the progress or the files
    const peer = await candidateWithPortfolio(suite.tool, suite.platform, w.course, 'Pat Jobs');
    for (const path of [base, `${base}/status`, `${base}/${zipJob._id}/download`]) expect((await peer.get(path)).status).toBe(404);
    expect((await peer.post(base, { format: 'pdf' })).status).toBe(404);
    expect((await w.cat.session.get(`${base}/000000000000000000000000/download`)).status).toBe(404);
  });

  test('a build whose worker stopped is taken over when its lease runs out; progress is written as it goes', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Lease');
    const base = `/export/portfolios/${w.portfolioId}/export`;
    await w.cat.session.post(base, { format: 'zip' });
    // another instance took it and vanished: its lease is still running, so nobody touches it
    await ExportJob.updateOne({ portfolioId: w.portfolioId }, { $set: { status: 'running', leaseOwner: 'gone', leaseUntil: new Date(Date.now() + 60_000), progress: 'Adding evidence 2 of 5' } });
    expect(text((await w.cat.session.get(base)).html)).toContain('Building: Adding evidence 2 of 5.');
    expect(await aWorker().drainOnce()).toBe(0);
    await ExportJob.updateOne({ portfolioId: w.portfolioId }, { $set: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await aWorker().drainOnce()).toBe(1);
    expect((await ExportJob.findOne({ portfolioId: w.portfolioId }).lean())!).toMatchObject({ status: 'done', attempts: 1 });
  });
});
