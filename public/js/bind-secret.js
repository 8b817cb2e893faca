// The secret that binds a session without cookies to this tab (src/lti/storage/bind.ts). It lives in sessionStorage;
// where the browser blocks storage in a VLE's frame (the very case platform storage exists for), it lives in the
// frame's window.name instead, which stays with this frame across our own pages and is never sent to a server.
(function () {
  var KEY = 'cmalt-bind';
  var PREFIX = KEY + ':';
  window.cmaltBindSecret = {
    keep: function (secret) {
      try {
        window.sessionStorage.setItem(KEY, secret);
        return true;
      } catch (e) { /* storage blocked: fall back to the frame's name */ }
      try {
        window.name = PREFIX + secret;
        return window.name === PREFIX + secret;
      } catch (e) {
        return false;
      }
    },
    read: function () {
      try {
        var stored = window.sessionStorage.getItem(KEY);
        if (stored) return stored;
      } catch (e) { /* storage blocked: try the frame's name */ }
      return typeof window.name === 'string' && window.name.indexOf(PREFIX) === 0 ? window.name.slice(PREFIX.length) : null;
    },
  };
})();
