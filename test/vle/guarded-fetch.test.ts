import { addressAllowed, guardedFetch, OutboundRefused, setOutboundPolicy } from '../../src/vle/guarded-fetch';
import { startListener, streamBytes, type Listener } from './listener';

const MB = 1024 * 1024;

async function refusal(promise: Promise<unknown>): Promise<OutboundRefused> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OutboundRefused) return err;
    throw err;
  }
  throw new Error('the call was not refused');
}

describe('the guarded client refuses private addresses after resolving them', () => {
  let internal: Listener;
  beforeAll(async () => {
    internal = await startListener((_req, res) => res.end('{"secret":"INTERNAL-SECRET"}'));
    setOutboundPolicy({ allowedOrigins: [], loopback: false });
  });
  afterAll(async () => internal.close());

  test('loopback, private, link-local, CGNAT, metadata and their IPv6 forms are not public', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:a00:1::1', '224.0.0.1']) {
      expect({ address, allowed: addressAllowed(address) }).toEqual({ address, allowed: false });
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']) expect(addressAllowed(address)).toBe(true);
    expect(addressAllowed('127.0.0.1', { loopback: true })).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', { loopback: true })).toBe(true);
    expect(addressAllowed('10.0.0.1', { loopback: true })).toBe(false);
  });

  test('a loopback listener that is not allow-listed receives nothing, by address, by name or in IPv6 form', async () => {
    for (const url of [
      `${internal.origin}/secret`,
      `http://localhost:${internal.port}/secret`, // a name that resolves to loopback: refused at connection time
      `http://[::ffff:127.0.0.1]:${internal.port}/secret`,
      `http://2130706433:${internal.port}/secret`, // 127.0.0.1 as one number
      `http://[::1]:${internal.port}/secret`,
    ]) {
      const err = await refusal(guardedFetch(url, { maxBytes: 1024, timeoutMs: 2000 }));
      expect({ url, reason: err.reason }).toEqual({ url, reason: 'address' });
    }
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1/', `http://user:pw@example.com/`]) {
      expect((await refusal(guardedFetch(url, { maxBytes: 1024, timeoutMs: 2000 }))).reason).toBe('scheme');
    }
    expect(internal.requests).toEqual([]);
  });

  test('allow-listing one exact origin opens that origin only, not the rest of loopback', async () => {
    const other = await startListener((_req, res) => res.end('{}'));
    try {
      setOutboundPolicy({ allowedOrigins: [internal.origin], loopback: false });
      const answer = await guardedFetch(`${internal.origin}/config`, { maxBytes: 1024, timeoutMs: 2000 });
      expect(answer.status).toBe(200);
      expect((await refusal(guardedFetch(`${other.origin}/`, { maxBytes: 1024, timeoutMs: 2000 }))).reason).toBe('address');
      expect((await refusal(guardedFetch(`http://localhost:${internal.port}/`, { maxBytes: 1024, timeoutMs: 2000 }))).reason).toBe('address');
      expect(other.requests).toEqual([]);
    } finally {
      setOutboundPolicy({ allowedOrigins: [], loopback: false });
      await other.close();
    }
  });
});

describe('the guarded client bounds what it reads', () => {
  afterEach(() => setOutboundPolicy({ allowedOrigins: [], loopback: false }));

  test('an oversized answer is cut off: the server could hand over only a small part of it', async () => {
    const huge = await startListener((_req, res, l) => streamBytes(res, l, 400 * MB));
    try {
      setOutboundPolicy({ allowedOrigins: [huge.origin], loopback: false });
      const err = await refusal(guardedFetch(`${huge.origin}/config`, { maxBytes: 256 * 1024, timeoutMs: 10_000 }));
      expect(err.reason).toBe('too-large');
      await huge.closed;
      expect(huge.written).toBeLessThan(40 * MB); // socket buffers at most, never the 400 MB
    } finally {
      await huge.close();
    }
  });

  test('an answer that trickles is stopped at the total deadline and its connection closed', async () => {
    const slow = await startListener((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    try {
      setOutboundPolicy({ allowedOrigins: [slow.origin], loopback: false });
      const err = await refusal(guardedFetch(`${slow.origin}/`, { maxBytes: MB, timeoutMs: 500 }));
      expect(err.reason).toBe('timeout');
      await slow.closed; // the tool hung up: reading really stopped
    } finally {
      await slow.close();
    }
  });

  test('redirects are never followed', async () => {
    const target = await startListener((_req, res) => res.end('{}'));
    const redirecting = await startListener((_req, res) => {
      res.writeHead(302, { Location: `${target.origin}/secret` });
      res.end();
    });
    try {
      setOutboundPolicy({ allowedOrigins: [redirecting.origin, target.origin], loopback: false });
      const answer = await guardedFetch(`${redirecting.origin}/`, { maxBytes: 1024, timeoutMs: 2000 });
      expect(answer.status).toBe(302);
      expect(target.requests).toEqual([]);
    } finally {
      await redirecting.close();
      await target.close();
    }
  });
});
