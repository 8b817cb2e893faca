// LTI platform storage (1EdTech "Client Side postMessages"): keeps the sign-in's state and nonce in the VLE's page
// instead of a cookie. "put" mode (login) stores them, then goes on to the VLE; "get" mode (launch) fetches them
// and posts them back to the tool. Answers count only from the VLE's sign-in origin.
(function () {
  var root = document.getElementById('lti-storage');
  if (!root) return;
  var data = root.dataset;
  var origin = data.platformOrigin;
  var TIMEOUT_MS = 2000;

  function storageFrame() {
    var parent = window.parent;
    if (!parent || parent === window) return null;
    if (data.target && data.target !== '_parent') {
      try {
        if (parent.frames[data.target]) return parent.frames[data.target];
      } catch (e) { /* fall back to the parent, as the spec allows */ }
    }
    return parent;
  }

  function messageId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return 'cmalt-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function newSecret() {
    var bytes = new Uint8Array(32);
    window.crypto.getRandomValues(bytes);
    var text = '';
    for (var i = 0; i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]);
    return window.btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function send(target, message) {
    return new Promise(function (resolve, reject) {
      message.message_id = messageId();
      var timer;
      function onMessage(event) {
        var answer = event.data;
        if (event.origin !== origin || !answer || answer.message_id !== message.message_id) return;
        if (answer.subject !== message.subject + '.response') return;
        window.removeEventListener('message', onMessage);
        clearTimeout(timer);
        if (answer.error) reject(answer.error); else resolve(answer);
      }
      window.addEventListener('message', onMessage);
      timer = setTimeout(function () {
        window.removeEventListener('message', onMessage);
        reject({ code: 'timeout', message: 'The VLE did not answer' });
      }, TIMEOUT_MS);
      target.postMessage(message, origin);
    });
  }

  function put(target, key, value) {
    return send(target, { subject: 'lti.put_data', key: key, value: value });
  }

  function get(target, key) {
    return send(target, { subject: 'lti.get_data', key: key }).then(function (answer) { return answer.value; });
  }

  var target = storageFrame();

  if (data.mode === 'put') {
    var next = function () { window.location.replace(data.next); };
    if (!target) return next();
    // Stored or not, go on: the state cookie may still arrive, and the launch page offers a new window if neither did.
    put(target, data.stateKey, data.state)
      .then(function () { return put(target, data.nonceKey, data.nonce); })
      .then(next, next);
    return;
  }

  if (data.mode === 'get') {
    var form = document.getElementById('storage-finish');
    var offerNewWindow = function () {
      document.getElementById('storage-status').textContent = 'Your VLE could not confirm this sign-in inside its page.';
      document.getElementById('new-window-offer').hidden = false;
    };
    if (!target) return offerNewWindow();
    Promise.all([get(target, data.stateKey), get(target, data.nonceKey)]).then(function (values) {
      if (typeof values[0] !== 'string' || typeof values[1] !== 'string') return offerNewWindow();
      form.elements.lti_storage_state.value = values[0];
      form.elements.lti_storage_nonce.value = values[1];
      // The session is bound to this tab: its secret stays in the tab (bind-secret.js), so a copied address opens nothing.
      var secret = newSecret();
      if (!window.cmaltBindSecret || !window.cmaltBindSecret.keep(secret)) return offerNewWindow();
      form.elements.lti_storage_bind.value = secret;
      form.submit();
    }, offerNewWindow);
  }
})();
