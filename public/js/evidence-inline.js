// Evidence beside an example, without leaving the section page: upload a file, add a web link, link an item
// from the library, unlink one. Every picker form also works on its own (the server then brings the page back
// to the same example); here it is sent in the background, the list changes in place (a picture shows as a
// thumbnail) and focus lands on what was added. The "Add an example" form gets its picker once its draft is saved.
(function () {
  'use strict';
  if (!window.fetch || !window.FormData || !window.URLSearchParams) return;
  var MB = 1024 * 1024;
  var size = function (n) { return (n < 10 * MB ? (n / MB).toFixed(1) : Math.round(n / MB)) + ' MB'; };
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.getAttribute('content') : ''; };
  var MESSAGES = {
    tooBig: function (f, max) { return 'This file is ' + size(f.size) + ', and the largest you can upload is ' + size(max) + '. Choose a smaller file, or add a link to where it is kept.'; },
    noFile: 'Choose a file to upload.',
    uploading: function (f) { return 'Uploading ' + f.name + '. Please keep this page open.'; },
    sending: { link: 'Adding the link…', attach: 'Linking…', detach: 'Unlinking…' },
    dropped: 'The connection dropped, so nothing was changed. Check your connection and try again.',
    failed: 'That did not work, so nothing was changed. Please try again.',
    expired: 'Your session has ended, so nothing was changed. Open CMALT Portfolio again from your course; what you typed is still here.',
  };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function hidden(name, value) {
    var i = document.createElement('input');
    i.type = 'hidden';
    i.name = name;
    i.value = value;
    return i;
  }
  var pickerOf = function (node) { return node.closest('[data-evidence-picker]'); };
  var say = function (picker, text) { var s = picker && picker.querySelector('[data-picker-status]'); if (s) s.textContent = text; };

  /** Every picker, the draft's not yet shown one too, so a new item can be offered to each. */
  function allPickers() {
    var list = Array.prototype.slice.call(document.querySelectorAll('[data-evidence-picker]'));
    var template = document.getElementById('draft-evidence-picker');
    if (template && template.content) list = list.concat(Array.prototype.slice.call(template.content.querySelectorAll('[data-evidence-picker]')));
    return list;
  }

  // ---- sending -------------------------------------------------------------------------------------
  function send(form, kind) {
    var data = new FormData(form);
    return fetch(form.action, {
      method: 'POST',
      credentials: 'include',
      headers: { Accept: 'application/json', 'X-CSRF-Token': meta('csrf-token'), Authorization: 'Bearer ' + meta('ltik') },
      body: kind === 'file' ? data : new URLSearchParams(data), // the other evidence routes read url-encoded forms
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, json: json }; });
    });
  }

  function busy(form, on) {
    var button = form.querySelector('button[type="submit"]');
    if (on) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
    if (button) button.disabled = on;
  }

  // ---- problems: next to the field, which takes focus so its description (the problem) is read out ----
  function describe(field, id, on) {
    var ids = (field.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) field.setAttribute('aria-describedby', ids.join(' '));
    else field.removeAttribute('aria-describedby');
  }
  function clearProblem(form) {
    var box = form.querySelector('[data-error]');
    if (!box) return;
    box.hidden = true;
    box.textContent = '';
    form.querySelectorAll('[aria-invalid]').forEach(function (f) { f.removeAttribute('aria-invalid'); describe(f, box.id, false); });
  }
  function showProblem(form, message, field) {
    var box = form.querySelector('[data-error]');
    var picker = pickerOf(form);
    if (!box) {
      say(picker, message);
      return;
    }
    say(picker, '');
    box.textContent = message;
    box.hidden = false;
    var target = field || form.querySelector('input:not([type="hidden"])');
    if (!target) return;
    target.setAttribute('aria-invalid', 'true');
    describe(target, box.id, true);
    target.focus();
  }

  // ---- the list of linked evidence -------------------------------------------------------------------
  function unlinkForm(picker, ev) {
    var attach = picker.querySelector('form[data-evidence-inline="attach"]');
    var form = document.createElement('form');
    form.method = 'post';
    form.action = attach.action.replace('/portfolio/evidence/attach', '/portfolio/evidence/detach');
    form.setAttribute('data-evidence-inline', 'detach');
    ['ltik', '_csrf', 'sectionId', 'exampleId', 'returnTo'].forEach(function (name) {
      var source = attach.querySelector('input[name="' + name + '"]');
      if (source) form.append(hidden(name, source.value));
    });
    form.append(hidden('evidenceId', ev.id));
    var button = el('button', 'Unlink', 'button--secondary');
    button.type = 'submit';
    button.append(el('span', ' ' + ev.title + ' from this example', 'visually-hidden'));
    form.append(button);
    return form;
  }

  function listItem(picker, ev) {
    var li = el('li', null, 'evidence-item');
    li.id = 'ev-' + picker.getAttribute('data-example-id') + '-' + ev.id;
    li.tabIndex = -1;
    li.setAttribute('data-evidence-id', ev.id);
    if (ev.previewSrc) {
      var img = el('img', null, 'evidence-thumb');
      img.src = ev.previewSrc;
      img.alt = ev.title; // the title says what the picture shows (the upload form asks for that)
      li.append(img);
    }
    var label = el('span');
    var a = el('a', ev.title);
    a.href = ev.href;
    label.append(a, document.createTextNode(' '), el('span', '(' + ev.kindLabel + ')', 'muted'));
    li.append(label, unlinkForm(picker, ev));
    return li;
  }

  function offer(picker, ev) {
    var select = picker.querySelector('select[name="evidenceId"]');
    if (!select || select.querySelector('option[value="' + ev.id + '"]') || picker.querySelector('li[data-evidence-id="' + ev.id + '"]')) return;
    var option = el('option', ev.title + ' (' + ev.kindLabel + ')');
    option.value = ev.id;
    select.append(option);
  }

  function withdraw(picker, id) {
    var option = picker.querySelector('select[name="evidenceId"] option[value="' + id + '"]');
    if (option) option.remove();
  }

  /** The "none yet" line, the list and the library's choice follow what the example has now. */
  function refresh(picker) {
    var count = picker.querySelectorAll('[data-linked] > li').length;
    picker.querySelector('[data-none]').hidden = count > 0;
    picker.querySelector('[data-linked]').hidden = count === 0;
    var attach = picker.querySelector('form[data-evidence-inline="attach"]');
    attach.hidden = !attach.querySelector('option');
    var shown = document.querySelector('[data-evidence-count="' + picker.getAttribute('data-example-id') + '"]');
    if (shown) shown.textContent = String(count);
  }

  function done(form, kind, picker, json) {
    var ev = json.evidence;
    if (kind === 'detach') {
      form.closest('li').remove();
      offer(picker, ev);
      refresh(picker);
      say(picker, json.message);
      var heading = picker.querySelector('[id$="-heading"]');
      heading.tabIndex = -1;
      heading.focus();
      return;
    }
    var item = listItem(picker, ev);
    picker.querySelector('[data-linked]').append(item);
    withdraw(picker, ev.id);
    if (kind !== 'attach') {
      form.reset();
      if (window.Autosave) window.Autosave.forget(form);
      // A new item in the library: every other example may link it too.
      allPickers().forEach(function (p) { if (p !== picker) offer(p, ev); });
      allPickers().forEach(refresh);
      if (json.storage) allPickers().forEach(function (p) { p.querySelectorAll('[data-storage-used]').forEach(function (s) { s.textContent = json.storage; }); });
    }
    refresh(picker);
    say(picker, json.message);
    item.focus();
  }

  // Captured before autosave's own submit handling, which is for forms that leave the page.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var kind = form.getAttribute && form.getAttribute('data-evidence-inline');
    if (!kind) return;
    e.preventDefault();
    e.stopPropagation();
    if (form.getAttribute('aria-busy') === 'true') return;
    var picker = pickerOf(form);
    clearProblem(form);
    var message = MESSAGES.sending[kind];
    if (kind === 'file') {
      var input = form.querySelector('input[type="file"]');
      var file = input.files && input.files[0];
      var max = Number(input.getAttribute('data-max-bytes')) || 0;
      if (!file) return showProblem(form, MESSAGES.noFile, input);
      if (max && file.size > max) return showProblem(form, MESSAGES.tooBig(file, max), input); // not sent at all
      message = MESSAGES.uploading(file);
    }
    say(picker, message);
    busy(form, true);
    send(form, kind).then(function (r) {
      busy(form, false);
      if (r.status >= 200 && r.status < 300 && r.json.evidence) return done(form, kind, picker, r.json);
      if (r.status === 401) return showProblem(form, MESSAGES.expired);
      var err = r.json.error || {};
      var first = Object.keys(err.fields || {})[0];
      showProblem(form, err.message || MESSAGES.failed, first ? form.querySelector('[name="' + first + '"]') : null);
    }, function () {
      busy(form, false);
      showProblem(form, MESSAGES.dropped);
    });
  }, true);

  // ---- the draft example's picker ------------------------------------------------------------------
  var template = document.getElementById('draft-evidence-picker');
  var newExample = document.querySelector('form[data-new-example]');
  if (template && newExample && window.Autosave) {
    window.Autosave.on('saved', function (saver) {
      if (saver.form !== newExample || newExample.parentNode.querySelector('[data-evidence-picker]')) return;
      var id = (saver.url() || '').split('/').pop();
      if (!/^[a-f0-9]{24}$/i.test(id)) return;
      var copy = document.importNode(template.content, true);
      var picker = copy.querySelector('[data-evidence-picker]');
      picker.setAttribute('data-example-id', id);
      picker.querySelectorAll('[data-example-field]').forEach(function (f) { f.value = id; });
      template.parentNode.insertBefore(copy, template);
      picker.querySelectorAll('form[data-evidence-inline="file"], form[data-evidence-inline="link"]').forEach(function (f) { window.Autosave.watch(f); });
    });
  }
})();
