/**
 * Which origins may frame the tool (CSP frame-ancestors) and receive its forms (form-action), beyond each
 * registered platform's issuer and login origins. Canvas and Blackboard Learn SaaS use one issuer for every
 * institution (https://canvas.instructure.com, https://blackboard.com) but show the tool inside each
 * institution's own host (school.instructure.com, school.blackboard.com), so those issuers bring their hosts'
 * wildcard; an institution's own domain for them (canvas.school.ac.uk) is listed in FRAME_ANCESTORS.
 */
const HOSTED_VLES: Array<{ issuer: RegExp; frames: string }> = [
  { issuer: /^https:\/\/canvas(\.beta|\.test)?\.instructure\.com$/, frames: 'https://*.instructure.com' },
  { issuer: /^https:\/\/blackboard\.com$/, frames: 'https://*.blackboard.com' },
];

/** The wildcard origins a registered issuer's institutions frame the tool from (none for most VLEs). */
export function hostedVleOrigins(issuerOrigin: string): string[] {
  return HOSTED_VLES.filter((v) => v.issuer.test(issuerOrigin)).map((v) => v.frames);
}

/** One FRAME_ANCESTORS entry: https (or http for localhost), a host that may start with "*.", an optional port. */
const ORIGIN = /^(https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/;

/** Parses FRAME_ANCESTORS (origins separated by spaces or commas); answers the bad entries too, to name them. */
export function parseFrameAncestors(raw: string | undefined): { origins: string[]; bad: string[] } {
  const entries = (raw ?? '').split(/[\s,]+/).map((e) => e.trim().replace(/\/$/, '').toLowerCase()).filter(Boolean);
  return { origins: entries.filter((e) => ORIGIN.test(e)), bad: entries.filter((e) => !ORIGIN.test(e)) };
}
