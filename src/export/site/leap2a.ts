import { escapeXmlText } from '../../http/escape';
import type { Book, BookEvidence } from '../book';
import { htmlToText } from '../../portfolio';

/**
 * Leap2A (the Atom-based e-portfolio interchange format Mahara imports): the portfolio as a selection,
 * each area an entry with its examples as parts, each piece of evidence a resource (files as enclosures
 * beside leap2a.xml in the zip). Text goes in as escaped text, never as markup.
 */
const esc = escapeXmlText;

export function leap2a(book: Book, fileOf: (e: BookEvidence) => string | null): string {
  const id = (kind: string, key: string) => `portfolio:cmalt/${book.portfolioId}/${kind}/${encodeURIComponent(key)}`;
  const updated = book.madeAt;
  const entries: string[] = [];
  const entry = (entryId: string, title: string, type: string, content: string, links: string[], extra = '') =>
    entries.push(
      `<entry><id>${esc(entryId)}</id><title>${esc(title)}</title><updated>${updated}</updated>` +
        `<rdf:type rdf:resource="leap2:${type}"/><content type="text">${esc(content)}</content>${links.join('')}${extra}</entry>`,
    );
  const link = (rel: string, to: string) => `<link rel="leap2:${rel}" href="${esc(to)}"/>`;

  entry(id('selection', 'portfolio'), `CMALT portfolio of ${book.candidate.name}`, 'selection', `${book.pathwayTitle}. ${book.frameworkTitle}.`,
    book.areas.map((a) => link('has_part', id('area', a.id))), '<category term="Grouping" scheme="categories:selection_type#"/>');
  for (const area of book.areas) {
    const text = area.kind === 'plain' ? htmlToText(area.body) : `${area.group}.`;
    entry(id('area', area.id), area.title, 'entry', text, [link('is_part_of', id('selection', 'portfolio')), ...area.examples.map((ex) => link('has_part', id('example', ex.id)))]);
    for (const ex of area.examples) {
      const body = `Description\n\n${htmlToText(ex.description)}\n\nReflection\n\n${htmlToText(ex.reflection)}`;
      const evidence = ex.evidenceIds.map((eid) => link('has_evidence', id('evidence', eid)));
      entry(id('example', ex.id), ex.title || 'Example', 'entry', body, [link('is_part_of', id('area', area.id)), ...evidence]);
    }
  }
  for (const e of book.evidence) {
    const file = e.file ? fileOf(e) : null;
    const enclosure = file ? `<link rel="enclosure" href="${esc(file)}" type="${esc(e.file!.contentType)}" length="${e.file!.size}"/>` : '';
    const web = e.url ? `<link rel="related" href="${esc(e.url)}"/>` : '';
    const content = [e.description, e.text ?? ''].filter(Boolean).join('\n\n') || e.title;
    const users = e.citedIn.map((c) => link('is_evidence_of', id('example', c.exampleId)));
    entry(id('evidence', e.id), e.title, 'resource', content, [...users], `${enclosure}${web}<category term="${e.kind === 'file' ? 'Offline' : 'Web'}" scheme="categories:resource_type#"/>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" ' +
    'xmlns:leap2="http://terms.leapspecs.org/" xmlns:categories="http://wiki.leapspecs.org/2A/categories/">\n' +
    '<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>\n' +
    `<id>${esc(id('feed', 'export'))}</id><title>${esc(`CMALT portfolio of ${book.candidate.name}`)}</title>` +
    `<author><name>${esc(book.candidate.name)}</name></author><updated>${updated}</updated>\n` +
    entries.join('\n') +
    '\n</feed>\n'
  );
}
