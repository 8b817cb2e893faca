import { escapeHtml } from '../http/escape';
import sanitizeHtml from 'sanitize-html';

/** The only HTML a portfolio keeps: what the editor produces, minus anything that could run or track. */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'h3', 'h4', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'br'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // The editor (and Word) use other tags for the same meaning; keep the meaning, not the tag.
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    h5: 'h4',
    h6: 'h4',
    b: 'strong',
    i: 'em',
    div: 'p',
    a: (tagName: string, attribs: sanitizeHtml.Attributes) => ({
      tagName,
      attribs: (attribs.href ? { href: attribs.href, rel: 'noopener noreferrer' } : {}) as sanitizeHtml.Attributes,
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && !frame.text.trim(),
};

export function sanitiseRichText(html: string): string {
  return sanitizeHtml(html ?? '', OPTIONS)
    .replace(/<p>(\s|<br \/>|&nbsp;)*<\/p>/g, '')
    .trim();
}

/**
 * Text typed in the plain textarea (no JavaScript) becomes paragraphs; lines starting "- " become a list,
 * so a candidate without the editor can still make one.
 */
export function textToHtml(text: string): string {
  const blocks = (text ?? '').replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  return blocks
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => /^[-*•]\s+/.test(l))) {
        return `<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(/^[-*•]\s+/, ''))}</li>`).join('')}</ul>`;
      }
      return `<p>${lines.map(escapeHtml).join('<br />')}</p>`;
    })
    .join('');
}

/** The reverse, for the plain textarea: paragraphs separated by blank lines, list items as "- ". */
export function htmlToText(html: string): string {
  return (html ?? '')
    .replace(/<li>/g, '- ')
    .replace(/<\/li>/g, '\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/(p|h3|h4|blockquote|ul|ol)>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function wordCount(html: string): number {
  const text = htmlToText(html);
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return words ? words.length : 0;
}
