import type { Express } from 'express';
import { escapeHtml, page } from './html';

/**
 * LTI platform storage as a VLE offers it (1EdTech "Client Side postMessages" + "Platform Storage"):
 * answers lti.capabilities, lti.put_data and lti.get_data, only for the tool origins it frames, keeping
 * each tool origin's values apart. Everything it sees is logged in window.__ltiStorageLog for tests.
 */
export function storageListenerScript(toolOrigins: string[], frameName: string): string {
  return `<script>(function(){
  var allowed = ${JSON.stringify(toolOrigins)};
  var frame = ${JSON.stringify(frameName)};
  var stores = {};
  var log = window.__ltiStorageLog = [];
  window.addEventListener('message', function (e) {
    var m = e.data;
    if (!m || typeof m !== 'object' || typeof m.subject !== 'string' || m.subject.indexOf('lti.') !== 0) return;
    log.push({ origin: e.origin, subject: m.subject, key: m.key, value: m.value });
    var reply = function (extra) {
      var answer = { subject: m.subject + '.response', message_id: m.message_id };
      for (var k in extra) answer[k] = extra[k];
      e.source.postMessage(answer, e.origin);
    };
    if (m.subject === 'lti.capabilities') {
      return reply({ supported_messages: [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data', frame: frame }, { subject: 'lti.get_data', frame: frame }] });
    }
    if (allowed.indexOf(e.origin) < 0) return reply({ error: { code: 'unauthorized', message: 'This origin may not use platform storage' } });
    var store = stores[e.origin] = stores[e.origin] || {};
    if (m.subject === 'lti.put_data') {
      if (typeof m.key !== 'string') return reply({ error: { code: 'bad_request', message: 'key is required' } });
      store[m.key] = m.value;
      return reply({ key: m.key, value: m.value });
    }
    if (m.subject === 'lti.get_data') {
      if (!Object.prototype.hasOwnProperty.call(store, m.key)) return reply({ error: { code: 'not_found', message: 'No value for that key' } });
      return reply({ key: m.key, value: store[m.key] });
    }
    reply({ error: { code: 'unsupported_subject', message: 'Unsupported subject' } });
  });
})();</script>`;
}

/** What the course page adds for `storageTarget`: the listener itself ('_parent'), or a named sibling frame holding it. */
export function courseStorageMarkup(storageTarget: string | undefined, toolOrigin: string, forwardingUrl: string): string {
  if (!storageTarget) return '';
  if (storageTarget === '_parent') return storageListenerScript([toolOrigin], '_parent');
  const src = `${forwardingUrl}?name=${encodeURIComponent(storageTarget)}&tool=${encodeURIComponent(toolOrigin)}`;
  return `<iframe name="${escapeHtml(storageTarget)}" id="storage-frame" title="VLE messaging" src="${escapeHtml(src)}" hidden></iframe>`;
}

/** Canvas-style: a hidden frame of the VLE's own origin that holds the storage and answers the tool. */
export function mountStorage(app: Express): void {
  app.get('/post-message-forwarding', (req, res) => {
    const name = String(req.query.name ?? 'post_message_forwarding');
    const tool = String(req.query.tool ?? '');
    res.type('html').send(page('Messaging', storageListenerScript(tool ? [tool] : [], name)));
  });
}
