// Forms that save themselves a few seconds after typing stops and when leaving a field: planning notes
// (data-autosave-note) and any other form marked data-autosave (the CPD record). Without JavaScript the
// forms' own buttons do the same. Unsent text is kept in this browser until the server
// has it, so a closed tab or a dropped network loses nothing.
(function () {
  'use strict';
  if (!window.fetch) return;
  var DELAY_MS = 2500;
  // Inside a VLE frame with third-party storage blocked, merely reading window.localStorage throws:
  // autosave then still works while the tab is open, only the copy kept for a closed tab is lost.
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* no storage here */ } },
    remove: function (k) { try { window.localStorage.removeItem(k); } catch (e) { /* no storage here */ } },
  };
  var ltik = meta('ltik');
  var csrf = meta('csrf-token');

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : '';
  }

  function hhmm() {
    var d = new Date();
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  // A planning note sends its four fields; any other form sends every field it has (repeated names as a list).
  function fieldsOf(form) {
    var data = {};
    if (form.hasAttribute('data-autosave-note') || form.hasAttribute('data-keep-note')) {
      ['title', 'did', 'learned', 'proof'].forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el) data[name] = el.value;
      });
      return data;
    }
    new FormData(form).forEach(function (value, name) {
      if (name === 'ltik' || name === '_csrf') return;
      if (name in data) data[name] = [].concat(data[name], String(value));
      else data[name] = String(value);
    });
    return data;
  }

  function restore(form, key) {
    var saved = null;
    try { saved = JSON.parse(store.get(key) || 'null'); } catch (e) { saved = null; }
    if (!saved) return false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === '_csrf' || el.name === 'ltik') return;
      var v = saved[el.name];
      if (el.type === 'checkbox' || el.type === 'radio') el.checked = [].concat(v === undefined ? [] : v).indexOf(el.value) >= 0;
      else if (v !== undefined) el.value = v;
    });
    return true;
  }

  // Existing notes: autosave to the note's own address.
  Array.prototype.forEach.call(document.querySelectorAll('form[data-autosave-note], form[data-autosave]'), function (form) {
    var status = document.getElementById(form.getAttribute('data-status'));
    var key = 'cmalt-planning:' + (form.getAttribute('data-autosave-note') || form.getAttribute('data-autosave'));
    var timer = null;
    var dirty = false;

    function setStatus(text) { if (status) status.textContent = text; }

    function save() {
      clearTimeout(timer);
      if (!dirty) return;
      var payload = fieldsOf(form);
      store.set(key, JSON.stringify(payload));
      if (!navigator.onLine) { setStatus('Offline – will save when you are back'); return; }
      setStatus('Saving…');
      fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf, Authorization: 'Bearer ' + ltik },
        body: JSON.stringify(payload),
      }).then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      }).then(function (r) {
        if (r.ok) {
          dirty = false;
          store.remove(key);
          setStatus('Saved ' + hhmm());
        } else {
          setStatus('Not saved: ' + ((r.body && r.body.error && r.body.error.message) || 'please use the save button'));
        }
      }).catch(function () {
        setStatus('Offline – will save when you are back');
      });
    }

    form.addEventListener('input', onChange);
    form.addEventListener('change', onChange);
    function onChange() {
      dirty = true;
      store.set(key, JSON.stringify(fieldsOf(form)));
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }
    form.addEventListener('focusout', function () { if (dirty) save(); });
    form.addEventListener('submit', function () { store.remove(key); });
    window.addEventListener('online', function () { if (dirty) save(); });
    if (restore(form, key)) { dirty = true; setStatus('Unsaved changes from your last visit were found – saving…'); save(); }
  });

  // A new note has no address yet: keep what is typed in this browser until it is added.
  var adding = document.querySelector('form[data-keep-draft]');
  if (adding) {
    var draftKey = 'cmalt-planning:new:' + adding.getAttribute('data-keep-draft');
    var empty = ['title', 'did', 'learned', 'proof', 'reflection', 'use'].every(function (n) { var el = adding.elements.namedItem(n); return !el || !el.value; });
    if (empty) restore(adding, draftKey);
    adding.addEventListener('input', function () { store.set(draftKey, JSON.stringify(fieldsOf(adding))); });
    adding.addEventListener('submit', function () { store.remove(draftKey); });
  }
})();
