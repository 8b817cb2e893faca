import { generateKeyPairSync } from 'node:crypto';
import { emptyPlatformForm, readPlatformForm, validatePlatformForm, splitDeploymentIds } from '../../src/admin/platform.schema';

const good = {
  ...emptyPlatformForm(),
  name: 'University Moodle',
  issuer: 'https://moodle.example.ac.uk',
  clientId: 'abc123',
  authEndpoint: 'https://moodle.example.ac.uk/mod/lti/auth.php',
  tokenEndpoint: 'https://moodle.example.ac.uk/mod/lti/token.php',
  keyType: 'jwks',
  key: 'https://moodle.example.ac.uk/mod/lti/certs.php',
  deploymentIds: '7\n8, 8',
  active: 'on',
};

describe('the add-a-VLE-by-hand form', () => {
  test('a complete form gives a platform with its deployment ids, duplicates removed', () => {
    const checked = validatePlatformForm(good, 'production');
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.platform).toMatchObject({
      issuer: 'https://moodle.example.ac.uk',
      clientId: 'abc123',
      key: { method: 'JWK_SET', value: good.key },
      deploymentIds: ['7', '8'],
      active: true,
    });
  });

  test('each missing or wrong field gets its own message', () => {
    const checked = validatePlatformForm({ ...good, issuer: 'moodle', clientId: '', authEndpoint: 'ftp://x', key: 'not a url', deploymentIds: 'bad id!' }, 'production');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['authEndpoint', 'clientId', 'deploymentIds', 'issuer', 'key']);
    expect(checked.errors.issuer).toMatch(/issuer/i);
  });

  test('plain http is refused in production except on this machine', () => {
    const remote = validatePlatformForm({ ...good, issuer: 'http://moodle.example.ac.uk' }, 'production');
    expect(remote.ok).toBe(false);
    const local = validatePlatformForm({ ...good, issuer: 'http://127.0.0.1:8080' }, 'production');
    expect(local.ok).toBe(true);
  });

  test('a pasted RSA public key is accepted and a private JWK is refused', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(validatePlatformForm({ ...good, keyType: 'rsa', key: pem }, 'production').ok).toBe(true);
    const privateJwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    const refused = validatePlatformForm({ ...good, keyType: 'jwk', key: privateJwk }, 'production');
    expect(refused.ok).toBe(false);
    const publicJwk = JSON.stringify(publicKey.export({ format: 'jwk' }));
    expect(validatePlatformForm({ ...good, keyType: 'jwk', key: publicJwk }, 'production').ok).toBe(true);
  });

  test('the issuer is kept exactly as typed, because launches are matched on it', () => {
    const checked = validatePlatformForm({ ...good, issuer: 'https://moodle.example.ac.uk/' }, 'production');
    expect(checked.ok && checked.platform.issuer).toBe('https://moodle.example.ac.uk/');
  });

  test('reading the form trims values and ignores fields it does not know', () => {
    const values = readPlatformForm({ issuer: '  https://x.example  ', extra: 'y', clientId: 5 });
    expect(values.issuer).toBe('https://x.example');
    expect(values.clientId).toBe('');
    expect(values).not.toHaveProperty('extra');
  });

  test('deployment ids may be separated by lines, commas or spaces', () => {
    expect(splitDeploymentIds(' a,b\n c  a ')).toEqual(['a', 'b', 'c']);
  });
});
