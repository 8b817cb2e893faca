/** Text made safe inside HTML, SVG or XML, in element content and in double-quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XML 1.0 allows no control characters but tab, line feed and carriage return: they are dropped, then escaped. */
export function escapeXmlText(s: string): string {
  const allowed = [...s].filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r').join('');
  return escapeHtml(allowed);
}
