/** Where evidence pages link back to in the rest of the portfolio. */

/** The section page that holds an example (portfolio's route). */
export const sectionHref = (sectionId: string) => `/portfolio/sections/${encodeURIComponent(sectionId)}`;

/**
 * A return address from a form is only followed if it stays inside the portfolio pages: no other
 * site, no protocol-relative "//host", no backslashes; the session token is added again by the caller.
 */
export function safeReturnPath(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw, 'http://tool.invalid');
  } catch {
    return undefined;
  }
  if (url.origin !== 'http://tool.invalid' || raw.includes('\\') || /^\/\//.test(raw)) return undefined;
  if (!/^\/portfolio(\/|$)/.test(url.pathname)) return undefined;
  url.searchParams.delete('ltik');
  const query = url.searchParams.toString();
  return `${url.pathname}${query ? `?${query}` : ''}${url.hash}`;
}
