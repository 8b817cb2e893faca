// The one autosave client, used by every form with text in it (STYLE.md: two copies drifted once).
//  - form[data-autosave="server"]: sent to data-autosave-url a moment after typing stops and on leaving a
//    field; "Saved" is shown only for the exact text the server answered 200 to.
//  - any other POST form with text fields (comments, replies, new notes, reviews, ...): kept in this
//    browser while typed and put back if the page is opened again before it was sent.
// Until the server has it, text is kept in this browser (a closed tab, a dropped network, a refused write
// or an ended session loses nothing), and leaving the page asks first. The delay comes from
// data-autosave-delay on the form or <body> (tests set it short), else 2.5 s.
(function () {
  'use strict';
  var PREFIX = 'cmalt-autosave:';
  var DEFAULT_DELAY_MS = 2500;
  var MESSAGES = {
    saving: 'Saving…',
    saved: function (t) { return 'Saved ' + t; },
    offline: 'Offline: your text is kept on this device and will be saved when you are back online.',
    serverRefused: 'Your text could not be saved on the server; it is kept on this computer. We will try again.',
    expired: 'Your session has ended, so this was not saved. Your text is kept on this device: open CMALT Portfolio again from your course and it will be saved.',
    conflict: 'Changed in another tab or device: choose what to keep below.',
    restored: 'Unsaved text from your last visit was found and put back.',
    restoredSaving: 'Unsaved text from your last visit was found – saving…',
    failed: function (m) { return 'Not saved: ' + m + ' Your text is kept on this device.'; },
  };

  // Inside a VLE frame with third-party storage blocked, merely touching localStorage throws: autosave then
  // still works while the tab is open; only the copy kept for a closed tab is lost.
  var store = {
    get: function (k) { try { return JSON.parse(window.localStorage.getItem(PREFIX + k) || 'null'); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(PREFIX + k, JSON.stringify(v)); } catch (e) { /* no storage here */ } },
    remove: function (k) { try { window.localStorage.removeItem(PREFIX + k); } catch (e) { /* no storage here */ } },
  };

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : '';
  }

  /** This tab's name, so the server keeps two tabs' saves in separate revisions. */
  var writer = (function () {
    var fresh = Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    try {
      var w = window.sessionStorage.getItem(PREFIX + 'writer');
      if (!w) window.sessionStorage.setItem(PREFIX + 'writer', (w = fresh));
      return w;
    } catch (e) { return fresh; }
  })();

  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  var SKIP = { ltik: 1, _csrf: 1, baseVersion: 1, partVersion: 1 };
  function textFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.disabled) return false;
      if (el.tagName === 'TEXTAREA') return true;
      return el.tagName === 'INPUT' && /^(text|hidden|url|email|search|number|date)$/.test(el.type || 'text');
    });
  }
  function payloadOf(form) {
    var data = {};
    textFields(form).forEach(function (el) { data[el.name] = String(el.value); });
    return data;
  }
  // Trix reads a <p> as a block wrapped in blank lines; its own paragraph is a <div> (the server turns it back into <p>).
  var forEditor = function (html) { return String(html || '').replace(/<p>/g, '<div>').replace(/<\/p>/g, '</div>'); };

  function fill(form, values) {
    Object.keys(values).forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (!field || SKIP[name]) return;
      field.value = values[name];
      // A rich editor shows what its hidden input holds (an editor not yet started reads it from there).
      var editor = field.id && document.querySelector('trix-editor[input="' + field.id + '"]');
      if (editor && editor.editor) editor.editor.loadHTML(forEditor(values[name]));
    });
  }
  var same = function (a, b) { return JSON.stringify(a) === JSON.stringify(b); };
  var delayOf = function (form) { return Number(form.getAttribute('data-autosave-delay') || document.body.getAttribute('data-autosave-delay')) || DEFAULT_DELAY_MS; };
  var fieldValue = function (form, name) { var el = form.querySelector('input[name="' + name + '"]'); return el ? Number(el.value) : undefined; };

  var saved = []; // every form this client looks after
  var leaving = false; // a form is being submitted: its page goes on with the text (kept here if needed)

  function Saver(form) {
    this.form = form;
    var first = textFields(form).filter(function (f) { return f.type !== 'hidden'; })[0];
    this.key = form.getAttribute('data-autosave-key') || ['local', location.pathname, (form.getAttribute('action') || '').split('?')[0], first ? first.id || first.name : ''].join('|');
    this.server = form.getAttribute('data-autosave') === 'server';
    this.statusEl = document.getElementById(form.getAttribute('data-autosave-status') || '') || document.getElementById('save-status');
    this.label = form.getAttribute('data-autosave-label') || '';
    this.baseline = payloadOf(form); // what the server (or the page) already has
    this.pending = null; // { payload, seq, base, versions } not yet acknowledged
    this.inFlight = false;
    this.conflict = false;
    this.timer = null;
    this.seq = 0;
    this.retryMs = this.firstRetry();
  }

  Saver.prototype.status = function (text, kind) {
    if (!this.statusEl) return;
    this.statusEl.textContent = text ? (this.label ? this.label + ': ' : '') + text : '';
    this.statusEl.className = 'save-status' + (kind ? ' save-status--' + kind : '');
    this.statusEl.setAttribute('data-state', kind || '');
  };

  Saver.prototype.firstRetry = function () { return Math.max(1000, Math.min(delayOf(this.form) * 2, 5000)); };

  Saver.prototype.dirty = function () { return !!this.pending || this.inFlight; };

  Saver.prototype.url = function () { return this.form.getAttribute('data-autosave-url'); };

  /** Keeps the unsent text (and what it was based on) until the server has it. */
  Saver.prototype.keep = function () {
    if (!this.pending) return store.remove(this.key);
    store.set(this.key, { url: this.url(), payload: this.pending.payload, base: this.pending.base, versions: this.pending.versions, defaults: this.defaults, submitted: this.submitted, at: Date.now() });
  };

  Saver.prototype.change = function (now) {
    if (this.conflict) return;
    var payload = payloadOf(this.form);
    if (!this.pending && same(payload, this.baseline)) return;
    this.pending = {
      payload: payload,
      seq: ++this.seq,
      base: this.pending ? this.pending.base : this.baseline,
      versions: this.pending ? this.pending.versions : { baseVersion: fieldValue(this.form, 'baseVersion'), partVersion: fieldValue(this.form, 'partVersion') },
    };
    this.keep();
    if (!this.server) return;
    clearTimeout(this.timer);
    var self = this;
    this.timer = setTimeout(function () { self.flush(); }, now ? 0 : delayOf(this.form));
  };

  Saver.prototype.flush = function () {
    var self = this;
    clearTimeout(this.timer);
    if (!this.server || this.inFlight || this.conflict || !this.pending) return;
    if (navigator.onLine === false) return this.status(MESSAGES.offline, 'offline');
    var item = this.pending;
    var body = Object.assign({ writer: writer }, item.payload);
    // The versions the page has now (a save of another part may have moved the section on).
    var baseVersion = fieldValue(this.form, 'baseVersion');
    var partVersion = item.versions.partVersion;
    if (baseVersion !== undefined) body.baseVersion = baseVersion;
    if (partVersion !== undefined) { body.partVersion = partVersion; body.base = item.base; }
    this.inFlight = true;
    this.status(MESSAGES.saving, 'saving');
    fetch(this.url(), {
      method: this.form.getAttribute('data-autosave-method') || 'PUT',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + meta('ltik'), 'X-CSRF-Token': meta('csrf-token') },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, json: json }; });
      })
      .then(function (r) { self.inFlight = false; self.answer(item, r); })
      .catch(function () {
        self.inFlight = false;
        // No answer at all: the network is down, or the server refused the connection.
        self.status(navigator.onLine === false ? MESSAGES.offline : MESSAGES.serverRefused, navigator.onLine === false ? 'offline' : 'error');
        self.retryLater();
      });
  };

  Saver.prototype.retryLater = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.flush(); }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 60000);
  };

  Saver.prototype.answer = function (item, r) {
    var json = r.json || {};
    if (r.status === 200) {
      this.retryMs = this.firstRetry();
      if (typeof json.version === 'number') document.querySelectorAll('input[name="baseVersion"]').forEach(function (i) { i.value = String(json.version); });
      var part = this.form.querySelector('input[name="partVersion"]');
      if (part && typeof json.partVersion === 'number') part.value = String(json.partVersion);
      var ack = item.payload;
      if (json.merged) {
        // Another tab's change was merged in: the page shows the text as stored.
        ack = Object.assign({}, item.payload, json.merged);
        if (this.pending === item) {
          fill(this.form, json.merged);
          ack = payloadOf(this.form); // the same text, as the editors write it: showing it is not a change
        }
      }
      this.baseline = ack;
      if (this.pending === item) this.pending = null;
      else if (this.pending) this.pending.base = ack; // typed more while saving: the next save builds on this one
      if (this.pending) this.pending.versions = { baseVersion: json.version, partVersion: json.partVersion };
      this.keep();
      Autosave.emit('saved', this, json);
      this.status(json.merged ? 'Merged with changes from another tab – saved ' + hhmm(json.savedAt) : MESSAGES.saved(hhmm(json.savedAt)), 'saved');
      if (this.pending) this.flush();
      return;
    }
    if (r.status === 409 && json.theirs) {
      this.conflict = true;
      this.status(MESSAGES.conflict, 'conflict');
      Autosave.emit('conflict', this, json, item);
      return;
    }
    if (r.status === 401 || (json.error && /session/i.test(json.error.id || ''))) return this.status(MESSAGES.expired, 'error');
    if (r.status >= 500) {
      this.status(MESSAGES.serverRefused, 'error');
      return this.retryLater();
    }
    this.status(MESSAGES.failed((json.error && json.error.message) || 'please try again.'), 'error');
  };

  /** The person chose what to keep after a conflict: it is saved on top of the other version. */
  Saver.prototype.resolve = function (values, versions, base) {
    this.conflict = false;
    if (values) fill(this.form, values);
    var baseInput = this.form.querySelector('input[name="baseVersion"]');
    if (baseInput && versions.baseVersion !== undefined) baseInput.value = String(versions.baseVersion);
    var part = this.form.querySelector('input[name="partVersion"]');
    if (part && versions.partVersion !== undefined) part.value = String(versions.partVersion);
    this.pending = { payload: payloadOf(this.form), seq: ++this.seq, base: base, versions: versions };
    this.keep();
    this.flush();
  };

  /** Text left from a closed tab (or a failed save) is put back; server forms send it at once. */
  Saver.prototype.restore = function () {
    var kept = store.get(this.key);
    if (!kept || !kept.payload) return;
    if (kept.submitted) return store.remove(this.key); // sent with the form last time
    if (!this.server && kept.defaults && !same(kept.defaults, this.defaults)) return store.remove(this.key); // the page moved on
    if (kept.url && this.server) this.form.setAttribute('data-autosave-url', kept.url);
    fill(this.form, kept.payload);
    this.pending = { payload: kept.payload, seq: ++this.seq, base: kept.base || this.baseline, versions: kept.versions || {} };
    Autosave.emit('restored', this, kept);
    if (this.server) {
      this.status(MESSAGES.restoredSaving, 'saving');
      var self = this;
      setTimeout(function () { self.flush(); }, 300); // a rich editor loads its text a moment later
    } else this.status(MESSAGES.restored, 'restored');
  };

  Saver.prototype.attach = function () {
    var self = this;
    var form = this.form;
    this.defaults = this.baseline;
    form.addEventListener('input', function () { self.change(false); });
    form.addEventListener('trix-change', function () { self.change(false); });
    // A rich editor rewrites its text in its own markup once started: that is not a change.
    form.addEventListener('trix-initialize', function () { if (!self.pending) self.baseline = payloadOf(form); });
    form.addEventListener('focusout', function () { if (self.pending) self.change(true); });
    form.addEventListener('submit', function (e) {
      if (self.server && !form.hasAttribute('data-autosave-submit')) {
        e.preventDefault();
        self.change(true);
        Autosave.emit('submit', self);
        return;
      }
      // Sent with the form: the copy kept here is dropped next time (the server shows the text back if it refused it).
      self.submitted = true;
      self.keep();
    });
    this.restore();
  };

  var listeners = {};
  var Autosave = (window.Autosave = {
    messages: MESSAGES,
    writer: writer,
    store: store,
    forEditor: forEditor,
    savers: saved,
    on: function (event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
    emit: function (event) {
      var args = Array.prototype.slice.call(arguments, 1);
      (listeners[event] || []).forEach(function (fn) { fn.apply(null, args); });
    },
    saverFor: function (form) { return saved.filter(function (s) { return s.form === form; })[0]; },
    /** A page script sent the form's text itself and the server has it: nothing is kept for it any more. */
    forget: function (form) {
      var s = Autosave.saverFor(form);
      if (!s) return;
      s.pending = null;
      s.submitted = false;
      s.baseline = payloadOf(form);
      s.keep();
    },
    /** Looks after a form added to the page later (or one that was not ready at start). */
    watch: function (form) {
      if (Autosave.saverFor(form)) return Autosave.saverFor(form);
      var s = new Saver(form);
      saved.push(s);
      s.attach();
      return s;
    },
    /** Every POST form with text fields in it, except those marked data-autosave="off". */
    start: function () {
      if (!window.fetch || !meta('ltik')) return; // only pages of a signed-in person
      Array.prototype.forEach.call(document.querySelectorAll('form'), function (form) {
        if (form.getAttribute('data-autosave') === 'off' || form.hasAttribute('data-autosave-later')) return;
        var posting = (form.getAttribute('method') || '').toLowerCase() === 'post';
        if (form.getAttribute('data-autosave') !== 'server' && !(posting && textFields(form).some(function (f) { return f.type !== 'hidden'; }))) return;
        Autosave.watch(form);
      });
    },
  });

  window.addEventListener('online', function () { saved.forEach(function (s) { s.retryMs = s.firstRetry(); s.flush(); }); });
  window.addEventListener('offline', function () { saved.forEach(function (s) { if (s.dirty() && s.server) s.status(MESSAGES.offline, 'offline'); }); });
  // Leaving: whatever the last keystrokes changed is kept, and the person is asked first.
  window.addEventListener('pagehide', function () { saved.forEach(function (s) { if (!s.conflict && !s.submitted) s.change(true); s.keep(); }); });
  // Any ordinary form sent (not one autosave took over) leaves the page on purpose: no question then.
  document.addEventListener('submit', function (e) { if (!e.defaultPrevented) leaving = true; });
  window.addEventListener('beforeunload', function (e) {
    if (leaving) return;
    saved.forEach(function (s) { if (!s.conflict && !same(payloadOf(s.form), s.baseline)) s.change(true); });
    if (!saved.some(function (s) { return s.dirty(); })) return;
    e.preventDefault();
    e.returnValue = ''; // the browser shows its own "leave page?" question
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', Autosave.start);
  else Autosave.start();
})();
