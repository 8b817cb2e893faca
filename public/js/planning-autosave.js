// Planning notes save themselves a few seconds after typing stops and when leaving a field. Without
// JavaScript the "Save note" buttons do the same. Unsent text is kept in this browser until the server
// has it, so a closed tab or a dropped network loses nothing.
(function () {
  'use strict';
  if (!window.fetch) return;
  var DELAY_MS = 2500;
  // Inside a VLE frame with third-party storage blocked, merely reading window.localStorage throws:
  // autosave then still works while the tab is open, only the copy kept for a closed tab is lost.
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.store.set(k, v); } catch (e) { /* no storage here */ } },
    remove: function (k) { try { window.store.remove(k); } catch (e) { /* no storage here */ } },
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

  function fieldsOf(form) {
    var data = {};
    ['title', 'did', 'learned', 'proof'].forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el) data[name] = el.value;
    });
    return data;
  }

  function restore(form, key) {
    var saved = null;
    try { saved = JSON.parse(store.get(key) || 'null'); } catch (e) { saved = null; }
    if (!saved) return false;
    Object.keys(saved).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el) el.value = saved[name];
    });
    return true;
  }

  // Existing notes: autosave to the note's own address.
  Array.prototype.forEach.call(document.querySelectorAll('form[data-autosave-note]'), function (form) {
    var status = document.getElementById(form.getAttribute('data-status'));
    var key = 'cmalt-planning:' + form.getAttribute('data-autosave-note');
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
          setStatus('Not saved: ' + ((r.body && r.body.error && r.body.error.message) || 'please use the Save note button'));
        }
      }).catch(function () {
        setStatus('Offline – will save when you are back');
      });
    }

    form.addEventListener('input', function () {
      dirty = true;
      store.set(key, JSON.stringify(fieldsOf(form)));
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    });
    form.addEventListener('focusout', function () { if (dirty) save(); });
    form.addEventListener('submit', function () { store.remove(key); });
    window.addEventListener('online', function () { if (dirty) save(); });
    if (restore(form, key)) { dirty = true; setStatus('Unsaved changes from your last visit were found – saving…'); save(); }
  });

  // A new note has no address yet: keep what is typed in this browser until it is added.
  var adding = document.querySelector('form[data-keep-draft]');
  if (adding) {
    var draftKey = 'cmalt-planning:new:' + adding.getAttribute('data-keep-draft');
    var empty = Object.values(fieldsOf(adding)).every(function (v) { return !v; });
    if (empty) restore(adding, draftKey);
    adding.addEventListener('input', function () { store.set(draftKey, JSON.stringify(fieldsOf(adding))); });
    adding.addEventListener('submit', function () { store.remove(draftKey); });
  }
})();
