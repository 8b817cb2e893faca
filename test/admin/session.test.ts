import jwt from 'jsonwebtoken';
import { sameSecret } from '../../src/http/same-secret';
import { csrfTokenFor, SESSION_HOURS, signSession, signTicket, verifySession, verifyTicket } from '../../src/admin/session.service';

const config = { ltiKey: 'k'.repeat(32) };

describe('installer session tokens', () => {
  test('a session signed by the tool verifies and names how the installer signed in', () => {
    const session = verifySession(config, signSession(config, { via: 'token', name: 'Installer' }));
    expect(session).toMatchObject({ via: 'token', name: 'Installer' });
    expect(session!.expiresAt).toBeGreaterThan(Date.now());
  });

  test('an ltijs session token signed with LTI_KEY itself is not an installer session', () => {
    const ltik = jwt.sign({ platformUrl: 'x', via: 'token', jti: 'a', aud: 'cmalt-installer-session' }, config.ltiKey);
    expect(verifySession(config, ltik)).toBeNull();
  });

  test('an expired session, another key, or a ticket is refused as a session', () => {
    // Signed by the tool itself, so only its age can refuse it (a token signed with another key would be refused anyway).
    const issuedAt = Date.now() - (SESSION_HOURS * 3600 + 60) * 1000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => issuedAt);
    let expired: string;
    try {
      expired = signSession(config, { via: 'token', name: 'Installer' });
      expect(verifySession(config, expired)).not.toBeNull(); // a good session while it was fresh
    } finally {
      clock.mockRestore();
    }
    expect(verifySession(config, expired)).toBeNull();
    expect(verifySession({ ltiKey: 'another-key-another-key' }, signSession(config, { via: 'token', name: 'x' }))).toBeNull();
    expect(verifySession(config, signTicket(config, { issuer: 'i', sub: 's', clientId: 'c' }))).toBeNull();
  });

  test('a ticket verifies once made and is not a session', () => {
    const ticket = verifyTicket(config, signTicket(config, { issuer: 'https://vle', sub: 'u1', clientId: 'c1', name: 'Ada' }));
    expect(ticket).toMatchObject({ name: 'Ada', issuer: 'https://vle', sub: 'u1', clientId: 'c1' });
    expect(verifyTicket(config, signSession(config, { via: 'launch', name: 'x' }))).toBeNull();
  });

  test('a VLE Administrator\'s session carries the one registration it may see; a whole-tool session carries none', () => {
    const vle = verifySession(config, signSession(config, { via: 'launch', name: 'x', vle: { issuer: 'https://vle', clientId: 'c1' } }));
    expect(vle?.vle).toEqual({ issuer: 'https://vle', clientId: 'c1' });
    expect(verifySession(config, signSession(config, { via: 'launch', name: 'x' }))?.vle).toBeUndefined();
  });

  test('each session has its own CSRF token', () => {
    const a = verifySession(config, signSession(config, { via: 'token', name: 'x' }))!;
    const b = verifySession(config, signSession(config, { via: 'token', name: 'x' }))!;
    expect(csrfTokenFor(config, a)).not.toBe(csrfTokenFor(config, b));
  });

  test('secrets compare equal only when identical, whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });
});
