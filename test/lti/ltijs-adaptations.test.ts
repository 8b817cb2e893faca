/**
 * src/lti/ltijs/ adapts ltijs from outside (its validateToken's key lookup, jsonwebtoken's HMAC secret, the
 * Database's reads, res.redirect and res.cookie). Each was written against ltijs 5.9.9's code: a new ltijs
 * version fails here first, so whoever upgrades re-reads src/lti/ltijs/ against the new code before changing this.
 */
const ADAPTED_FOR = '5.9.9';

test('ltijs is the version its adaptations in src/lti/ltijs/ were written for', () => {
  const { version } = require('ltijs/package.json') as { version: string };
  expect(version).toBe(ADAPTED_FOR);
});

test('the ltijs internals the adaptations replace or wrap are still where they were', () => {
  const Auth = require('ltijs/dist/Utils/Auth') as Record<string, unknown>;
  expect(typeof Auth.validateToken).toBe('function'); // validate-token.ts replaces its key lookup
  expect(typeof Auth.verifyToken).toBe('function'); // and hands every check back to it
  expect(typeof Auth.generatePlatformKeyPair).toBe('function'); // keygen.ts makes it off the event loop
  const http = require('ltijs/dist/Utils/Http') as Record<string, unknown>;
  for (const method of ['get', 'post', 'put', 'delete']) expect(typeof http[method]).toBe('function'); // http-client.ts closes them
  const Database = require('ltijs/dist/Utils/Database') as { prototype: Record<string, unknown> };
  for (const method of ['Get', 'Insert', 'Replace', 'Modify', 'Delete']) expect(typeof Database.prototype[method]).toBe('function'); // cached-reads.ts
  const { Provider } = require('ltijs') as { Provider: Record<string, unknown> };
  for (const method of ['setup', 'deploy', 'close', 'onConnect', 'onInvalidToken']) expect(typeof Provider[method]).toBe('function'); // provider.ts's types
});
