import { DOMParser } from '@xmldom/xmldom';
import { toolSuite } from '../support/suite';
import { aWrittenPortfolio, download, text } from './people';
import { unzip } from './unzip';

const suite = toolSuite();

describe('the website export', () => {
  test('a zip of relative pages with the evidence beside them and leap2a.xml; missing files listed, markup as text', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Site');
    const answer = await download(w.mo, `/export/portfolios/${w.portfolioId}/website`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    expect(answer.headers.get('content-disposition')).toContain('website.zip');
    const { names, entries } = await unzip(answer.body);
    expect(names).toEqual(expect.arrayContaining(['index.html', 'evidence.html', 'leap2a.xml', 'area-contextual.html', 'area-1a.html', 'area-declaration.html', 'evidence/E1-appraisal.pdf', 'evidence/E2-workshop.png', 'evidence/E5-broken.pdf']));
    expect(names.filter((n) => n.startsWith('area-'))).toHaveLength(12);
    expect(names.some((n) => n.includes('vanished'))).toBe(false); // its bytes are gone: listed, not packed
    expect(entries.get('evidence/E1-appraisal.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    const index = entries.get('index.html')!.toString();
    expect(text(index)).toContain('CMALT portfolio of Cat <b>Site</b>');
    expect(index).not.toContain('<b>Site</b>');
    for (const html of [...entries].filter(([n]) => n.endsWith('.html')).map(([, b]) => b.toString())) {
      const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      for (const href of hrefs.filter((h) => !h.startsWith('http') && !h.startsWith('#'))) {
        expect(names).toContain(href.split('#')[0]); // every relative link opens a file in the zip
      }
    }
    const area = text(entries.get('area-1a.html')!.toString());
    expect(area).toContain('I compared three tools.');
    const evidence = text(entries.get('evidence.html')!.toString());
    expect(evidence).toContain('The file vanished.pdf could not be read');
    expect(evidence).toContain('Open appraisal.pdf');

    const leap = new DOMParser().parseFromString(entries.get('leap2a.xml')!.toString(), 'text/xml');
    const atom = 'http://www.w3.org/2005/Atom';
    const feedEntries = leap.getElementsByTagNameNS(atom, 'entry');
    // 1 selection + 12 areas + 3 examples + 6 pieces of evidence
    expect(feedEntries.length).toBe(1 + 12 + 3 + 6);
    const titles = Array.from({ length: feedEntries.length }, (_, i) => feedEntries.item(i)!.getElementsByTagNameNS(atom, 'title').item(0)!.textContent);
    expect(titles).toEqual(expect.arrayContaining(['CMALT portfolio of Cat <b>Site</b>', 'Choosing a quiz tool', 'Options appraisal']));
    const enclosures = Array.from(leap.getElementsByTagNameNS(atom, 'link') as unknown as ArrayLike<Element>).filter((l) => l.getAttribute('rel') === 'enclosure').map((l) => l.getAttribute('href'));
    expect(enclosures).toEqual(expect.arrayContaining(['evidence/E1-appraisal.pdf', 'evidence/E2-workshop.png']));
    for (const href of enclosures) expect(names).toContain(href);
  });

  test('nobody outside the course team downloads it', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Site guess');
    const other = await aWrittenPortfolio(suite.tool, suite.platform, 'Site other');
    expect((await download(other.cat.session, `/export/portfolios/${w.portfolioId}/website`)).status).toBe(404);
    expect((await download(other.cora, `/export/portfolios/${w.portfolioId}/website`)).status).toBe(404);
  });
});
