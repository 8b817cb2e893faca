import { PROFILES, REAL_VLES, type VleProfile } from '../support/platform';
import { readForm, send, unescapeHtml } from '../support/platform/browser-http';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items';
const VLE_NAMES: Record<VleProfile['id'], string | null> = { generic: null, moodle: 'Moodle', canvas: 'Canvas', brightspace: 'Brightspace', blackboard: 'Blackboard' };

/**
 * The name a VLE gives the grade column of a deep-linked item, as its profile says (lineItemLabel). The test VLE
 * records the profile field but creates no line item from a deep-linking return, so the rule is applied here.
 */
function columnTheVleShows(profile: VleProfile, item: { title: string; lineItem: { label: string } }): string {
  return profile.lineItemLabel === 'activity-title' ? item.title : item.lineItem.label;
}

/** The picker's "Grade column ..." line for one pathway, as text. */
function columnLine(html: string, pathway: string): string {
  const m = new RegExp(`<p[^>]*data-grade-column="${pathway}"[^>]*>([^<]*)</p>`).exec(html);
  return m ? unescapeHtml(m[1]).trim() : '';
}

describe.each([PROFILES.generic, ...REAL_VLES])('the pathway picker in $id', (profile) => {
  const suite = toolSuite({ platform: { profile: profile.id } });

  test('names the grade column as this VLE will show it, for the pathway chosen and the others', async () => {
    const session = await launchAs(suite.tool, suite.platform, { roles: profile.teacherRoles.editing, messageType: 'LtiDeepLinkingRequest', course: suite.platform.course() });
    expect(session.status).toBe(200);
    const page = session.html;
    const vle = VLE_NAMES[profile.id];
    for (const pathway of ['cmalt:cmalt', 'cmalt:senior']) {
      expect(columnLine(page, pathway)).toMatch(vle ? new RegExp(`^Grade column in ${vle}: “.+”$`) : /^Grade column: “.+”$/);
    }

    const form = readForm(page, session.url)!;
    const answer = await session.post('/deep-linking', { ...form.fields, pathway: 'cmalt:senior' });
    const back = readForm(answer.html, answer.url)!;
    expect((await send(session.jar, back.action, { method: 'POST', form: back.fields })).status).toBe(200);
    const entry = suite.platform.deepLinkReturns.at(-1)!;
    expect(entry.verified).toBe(true);
    const item = (entry.claims![DL] as Array<{ title: string; lineItem: { label: string } }>)[0];

    // what the page promised is what the VLE names the column
    const shown = columnTheVleShows(profile, item);
    expect(columnLine(page, 'cmalt:senior')).toBe(`Grade column${vle ? ` in ${vle}` : ''}: “${shown}”`);
    const text = unescapeHtml(page).replace(/<[^>]+>/g, ' ');
    if (profile.lineItemLabel === 'activity-title') {
      expect(shown).toBe('CMALT Portfolio: Senior CMALT');
      expect(text).toContain('names the grade column after the activity');
      expect(text).toContain('Save and return to course'); // Moodle's activity form, next
      expect(page).not.toContain('portfolio progress'); // the label Moodle ignores is not promised
    } else {
      expect(shown).toBe('CMALT portfolio progress');
      expect(text).not.toContain('Save and return to course');
    }
  });
});
