// Section page enhancement: a rich-text editor (Trix) over each plain textarea, and autosave that never
// loses text. Without JavaScript the page is ordinary forms; with it, every change is saved a few seconds
// after typing stops (and on leaving a field), unsent changes are kept in this browser until the server
// has them, and a save based on an old version shows both versions instead of overwriting anything.
(function () {
  'use strict';
  // Trix defines its element a moment after its script runs; start once it has (or without it).
  if (window.customElements && window.Trix && !customElements.get('trix-editor')) {
    var started = false;
    var go = function () { if (!started) { started = true; main(); } };
    customElements.whenDefined('trix-editor').then(go);
    setTimeout(go, 3000);
  } else main();

  function main() {
  var statusEl = document.getElementById('save-status');
  if (!statusEl || !window.fetch) return;
  var sectionId = statusEl.getAttribute('data-section-id');
  var version = Number(statusEl.getAttribute('data-version'));
  var ltik = meta('ltik');
  var csrf = meta('csrf-token');
  var STORE_KEY = 'cmalt-portfolio:pending:' + sectionId;
  var DELAY_MS = 2500;
  var pending = {}; // key -> { url, payload, seq, conflict }
  var timer = null;
  var inFlight = false;
  var seq = 0;

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : '';
  }

  var MESSAGES = {
    saving: 'Saving…',
    saved: function (t) { return 'Saved ' + t; },
    offline: 'Offline – will save when you are back',
    conflict: 'Conflict – choose a version',
    restored: 'Unsaved changes from your last visit were found – saving…',
    failed: function (m) { return 'Not saved: ' + m; },
  };

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = 'save-status' + (kind ? ' save-status--' + kind : '');
  }

  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  // ---- the editor --------------------------------------------------------------------------------
  function enhance(textarea) {
    if (!window.customElements || !customElements.get('trix-editor')) return;
    var form = textarea.form;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = textarea.name;
    input.id = textarea.id + '-html';
    input.value = textarea.getAttribute('data-html') || '';
    var editor = document.createElement('trix-editor');
    editor.setAttribute('input', input.id);
    editor.id = textarea.id;
    editor.className = 'rich-editor';
    var label = document.getElementById(textarea.id + '-label');
    if (label) editor.setAttribute('aria-labelledby', label.id);
    var hint = textarea.getAttribute('aria-describedby');
    if (hint) editor.setAttribute('aria-describedby', hint);
    textarea.replaceWith(input, editor);
    if (hint) {
      var hintEl = document.getElementById(hint);
      if (hintEl) hintEl.textContent = 'Use the toolbar (or Ctrl+B, Ctrl+I) for headings, lists and links. Text pasted from Word keeps its structure, not its styling.';
    }
    var format = form && form.querySelector('input[name="format"]');
    if (format) format.value = 'html';
  }

  document.addEventListener('trix-initialize', function (e) {
    // Trix keeps its toolbar out of the tab order; keyboard users need it in.
    var toolbar = e.target.toolbarElement;
    if (toolbar) toolbar.querySelectorAll('button').forEach(function (b) { b.setAttribute('tabindex', '0'); });
  });
  document.addEventListener('trix-file-accept', function (e) { e.preventDefault(); }); // evidence goes in the library

  document.querySelectorAll('textarea[data-rich]').forEach(enhance);

  // ---- what to send ------------------------------------------------------------------------------
  var forms = Array.prototype.slice.call(document.querySelectorAll('form[data-autosave-url]'));

  function payloadOf(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== 'ltik' && name !== '_csrf' && name !== 'baseVersion') data[name] = String(value);
    });
    return data;
  }

  function fill(form, payload) {
    Object.keys(payload).forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (!field) return;
      field.value = payload[name]; // an editor not yet started reads its text from here
      var editor = field.id && document.querySelector('trix-editor[input="' + field.id + '"]');
      if (editor && editor.editor) editor.editor.loadHTML(payload[name]);
    });
  }

  function persist() {
    var items = {};
    Object.keys(pending).forEach(function (k) { items[k] = { url: pending[k].url, payload: pending[k].payload, version: pending[k].version }; });
    try {
      if (Object.keys(items).length) localStorage.setItem(STORE_KEY, JSON.stringify(items));
      else localStorage.removeItem(STORE_KEY);
    } catch (err) { /* private mode: autosave still works while the tab is open */ }
  }

  var baseline = {}; // key -> the payload as last saved (or as loaded), so merely opening a page saves nothing

  function markDirty(form, now) {
    var key = form.getAttribute('data-autosave-key');
    var old = pending[key];
    if (old && old.conflict) return; // wait for the candidate's choice
    if (!old && JSON.stringify(payloadOf(form)) === baseline[key]) return;
    pending[key] = { url: form.getAttribute('data-autosave-url'), payload: payloadOf(form), seq: ++seq, version: version };
    persist();
    clearTimeout(timer);
    timer = setTimeout(flush, now ? 0 : DELAY_MS);
  }

  forms.forEach(function (form) {
    baseline[form.getAttribute('data-autosave-key')] = JSON.stringify(payloadOf(form));
    form.addEventListener('trix-initialize', function () {
      if (!pending[form.getAttribute('data-autosave-key')]) baseline[form.getAttribute('data-autosave-key')] = JSON.stringify(payloadOf(form));
    });
    form.addEventListener('input', function () { markDirty(form, false); });
    form.addEventListener('trix-change', function () { markDirty(form, false); });
    form.addEventListener('focusout', function () { if (pending[form.getAttribute('data-autosave-key')]) markDirty(form, true); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      markDirty(form, true);
    });
  });

  // ---- sending -----------------------------------------------------------------------------------
  function setVersion(v) {
    version = v;
    statusEl.setAttribute('data-version', String(v));
    document.querySelectorAll('input[name="baseVersion"]').forEach(function (i) { i.value = String(v); });
  }

  /** The header's state and word count, and the review box, as the save left the section. */
  function showSaved(json) {
    var badge = document.getElementById('section-state');
    if (badge && json.state && json.stateLabel) {
      badge.className = 'status status--' + json.state;
      badge.textContent = json.stateLabel;
    }
    var words = document.getElementById('section-words');
    if (words && typeof json.words === 'number') words.textContent = String(json.words);
    var canAsk = json.state === 'draft' || json.state === 'needs_more_work';
    var ask = document.getElementById('review-request');
    var needsWriting = document.getElementById('review-needs-writing');
    if (ask && canAsk) ask.hidden = false;
    if (needsWriting && json.state && json.state !== 'not_started') needsWriting.hidden = true;
  }

  function nextKey() {
    return Object.keys(pending).filter(function (k) { return !pending[k].conflict; })[0];
  }

  function flush() {
    clearTimeout(timer);
    if (inFlight) return;
    var key = nextKey();
    if (!key) return;
    if (navigator.onLine === false) return setStatus(MESSAGES.offline, 'offline');
    var item = pending[key];
    var body = Object.assign({ baseVersion: item.version }, item.payload);
    inFlight = true;
    setStatus(MESSAGES.saving, 'saving');
    fetch(item.url, {
      method: 'PUT',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + ltik, 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, json: json }; });
      })
      .then(function (r) {
        inFlight = false;
        if (r.status === 200) {
          setVersion(r.json.version);
          baseline[key] = JSON.stringify(item.payload);
          if (pending[key] && pending[key].seq === item.seq) delete pending[key];
          else if (pending[key]) pending[key].version = r.json.version; // typed more while saving
          Object.keys(pending).forEach(function (k) { if (!pending[k].conflict) pending[k].version = r.json.version; });
          persist();
          showSaved(r.json);
          setStatus(MESSAGES.saved(hhmm(r.json.savedAt)), 'saved');
        } else if (r.status === 409 && r.json.theirs && contentHtml(r.json.theirs, key) === contentHtml(r.json.yours, key) && sameTitle(r.json, key)) {
          // The server already has exactly this (a save that landed as the last tab closed): nothing to choose.
          setVersion(r.json.theirs.version);
          delete pending[key];
          persist();
          setStatus(MESSAGES.saved(hhmm(r.json.theirs.updatedAt)), 'saved');
        } else if (r.status === 409 && r.json.theirs) {
          pending[key].conflict = true;
          persist();
          setStatus(MESSAGES.conflict, 'conflict');
          showConflict(key, item, r.json);
        } else {
          setStatus(MESSAGES.failed((r.json.error && r.json.error.message) || 'please try again.'), 'error');
          return;
        }
        if (nextKey()) timer = setTimeout(flush, 200);
      })
      .catch(function () {
        inFlight = false;
        setStatus(MESSAGES.offline, 'offline');
        timer = setTimeout(flush, 10000);
      });
  }

  window.addEventListener('online', function () { flush(); });
  // Leaving the page: keep whatever the last keystrokes changed, even if no change event has fired yet.
  window.addEventListener('pagehide', function () {
    forms.forEach(function (form) {
      var key = form.getAttribute('data-autosave-key');
      if (pending[key] && pending[key].conflict) return;
      var payload = payloadOf(form);
      if (JSON.stringify(payload) === baseline[key] && !pending[key]) return;
      pending[key] = { url: form.getAttribute('data-autosave-url'), payload: payload, seq: ++seq, version: version };
    });
    persist();
  });
  window.addEventListener('offline', function () { if (Object.keys(pending).length) setStatus(MESSAGES.offline, 'offline'); });

  // ---- conflicts ---------------------------------------------------------------------------------
  var panel = document.getElementById('conflict-panel');

  function contentHtml(side, key) {
    if (key === 'body') return side.body || '<p>(empty)</p>';
    var id = key.split(':')[1];
    var ex = (side.examples || []).filter(function (e) { return e._id === id; })[0];
    if (!ex) return '<p>(this example was removed)</p>';
    return '<h4></h4>' + ex.description + ex.reflection;
  }

  function exampleTitle(side, key) {
    var id = key.split(':')[1];
    var ex = (side.examples || []).filter(function (e) { return e._id === id; })[0];
    return ex ? ex.title || 'Untitled example' : '';
  }

  function sameTitle(json, key) {
    if (key === 'body') return true;
    var id = key.split(':')[1];
    var pick = function (side) { return JSON.stringify((side.examples || []).filter(function (e) { return e._id === id; })[0] || null); };
    return pick(json.theirs) === pick(json.yours);
  }

  // Both sides were sanitised by the server before it sent them back.
  function showConflict(key, item, json) {
    var formEl = forms.filter(function (f) { return f.getAttribute('data-autosave-key') === key; })[0];
    panel.innerHTML =
      '<h2>This section changed somewhere else</h2>' +
      '<p>Another tab or device saved version ' + Number(json.theirs.version) + '. Nothing has been overwritten: choose what to keep.</p>' +
      '<div class="two-col"><section class="card"><h3>Saved version</h3><div class="rich" data-side="theirs"></div></section>' +
      '<section class="card"><h3>Your version</h3><div class="rich" data-side="yours"></div></section></div>' +
      '<div class="actions"><button type="button" data-choice="mine">Keep mine</button>' +
      '<button type="button" class="button--secondary" data-choice="theirs">Keep theirs</button>' +
      '<button type="button" class="button--secondary" data-choice="merge">Edit and merge</button></div>';
    ['theirs', 'yours'].forEach(function (side) {
      var box = panel.querySelector('[data-side="' + side + '"]');
      box.innerHTML = contentHtml(json[side], key);
      var title = box.querySelector('h4');
      if (title) title.textContent = exampleTitle(json[side], key); // text, never markup
    });
    panel.hidden = false;
    panel.focus();
    panel.querySelector('[data-choice="mine"]').addEventListener('click', function () {
      resolve(key, json.theirs.version, item.payload);
    });
    panel.querySelector('[data-choice="theirs"]').addEventListener('click', function () {
      delete pending[key];
      persist();
      window.location.reload();
    });
    panel.querySelector('[data-choice="merge"]').addEventListener('click', function () {
      if (formEl) {
        var merged = Object.assign({}, item.payload);
        if (key === 'body') merged.body = (json.theirs.body || '') + '<p>— your version —</p>' + (json.yours.body || '');
        fill(formEl, merged);
        resolve(key, json.theirs.version, payloadOf(formEl));
        var first = formEl.querySelector('trix-editor, textarea, input[type="text"]');
        if (first) first.focus();
      }
    });
  }

  function resolve(key, theirsVersion, payload) {
    setVersion(theirsVersion);
    pending[key] = { url: pending[key].url, payload: payload, seq: ++seq, version: theirsVersion };
    persist();
    panel.hidden = true;
    panel.innerHTML = '';
    flush();
  }

  // ---- changes left from a closed tab ------------------------------------------------------------
  try {
    var saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
    if (saved) {
      Object.keys(saved).forEach(function (key) {
        var form = forms.filter(function (f) { return f.getAttribute('data-autosave-key') === key; })[0];
        if (form) fill(form, saved[key].payload);
        pending[key] = { url: saved[key].url, payload: saved[key].payload, seq: ++seq, version: saved[key].version };
      });
      if (Object.keys(pending).length) {
        setStatus(MESSAGES.restored, 'saving');
        // Trix loads its content asynchronously; wait a tick so the restored text is what we send.
        setTimeout(flush, 300);
      }
    }
  } catch (err) { /* unreadable store: start afresh */ }
  }
})();
