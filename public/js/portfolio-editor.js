// Section page enhancement: a rich-text editor (Trix) over each plain textarea, with a keyboard-friendly
// toolbar; saving is the shared autosave client's (autosave.js). This script adds what only the section
// page needs: the header following each save, the "Add an example" form saving a draft example from the
// first keystroke, and the choice after two tabs changed the same text (both kept, differences marked).
(function () {
  'use strict';
  // Read before main() may run below: when Trix is already defined, main() runs at once.
  var Autosave = window.Autosave;
  // Trix defines its element a moment after its script runs; start once it has (or without it).
  if (window.customElements && window.Trix && !customElements.get('trix-editor')) {
    var started = false;
    var go = function () { if (!started) { started = true; main(); } };
    customElements.whenDefined('trix-editor').then(go);
    setTimeout(go, 3000);
  } else main();

  function main() {
    var statusEl = document.getElementById('save-status');
    if (!statusEl || !Autosave) return;

    // ---- the editor ------------------------------------------------------------------------------
    function enhance(textarea) {
      if (!window.customElements || !customElements.get('trix-editor')) return;
      var form = textarea.form;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = textarea.name;
      input.id = textarea.id + '-html';
      input.value = Autosave.forEditor(textarea.getAttribute('data-html') || '');
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

    // The toolbar is one tab stop; arrow keys (and Home/End) move between its buttons (a roving tabindex).
    document.addEventListener('trix-initialize', function (e) {
      var toolbar = e.target.toolbarElement;
      if (!toolbar) return;
      toolbar.setAttribute('role', 'toolbar');
      toolbar.setAttribute('aria-label', 'Formatting for ' + ((document.getElementById(e.target.getAttribute('aria-labelledby') || '') || {}).textContent || 'this text'));
      toolbar.setAttribute('aria-controls', e.target.id);
      var buttons = function () {
        return Array.prototype.filter.call(toolbar.querySelectorAll('.trix-button-row button'), function (b) { return b.offsetParent !== null; });
      };
      buttons().forEach(function (b, i) { b.setAttribute('tabindex', i === 0 ? '0' : '-1'); });
      toolbar.addEventListener('keydown', function (ev) {
        var list = buttons();
        var at = list.indexOf(document.activeElement);
        if (at < 0) return;
        var to = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? (at + 1) % list.length
          : ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' ? (at - 1 + list.length) % list.length
          : ev.key === 'Home' ? 0 : ev.key === 'End' ? list.length - 1 : -1;
        if (to < 0) return;
        ev.preventDefault();
        list.forEach(function (b, i) { b.setAttribute('tabindex', i === to ? '0' : '-1'); });
        list[to].focus();
      });
    });
    document.addEventListener('trix-file-accept', function (e) { e.preventDefault(); }); // evidence goes in the library

    document.querySelectorAll('textarea[data-rich]').forEach(enhance);

    // ---- saving: the shared client, with this page's forms -----------------------------------------
    var panel = document.getElementById('conflict-panel');
    var newExample = document.querySelector('form[data-new-example]');
    if (newExample) {
      // The draft example's id is chosen here, so every save of it (a retry too) lands on the same example.
      var id = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
      for (var i = 0; i < 16; i++) id += Math.floor(Math.random() * 16).toString(16);
      newExample.setAttribute('data-autosave-url', newExample.getAttribute('data-new-example') + '/' + id);
      // A draft kept from a closed tab that reached the server already has its own form on the page: it goes there.
      var keptDraft = Autosave.store.get(newExample.getAttribute('data-autosave-key'));
      var draftId = keptDraft && keptDraft.url && keptDraft.url.split('/').pop();
      var own = draftId && document.querySelector('form[data-part="' + draftId + '"]');
      if (own) {
        Autosave.store.set(own.getAttribute('data-autosave-key'), keptDraft);
        Autosave.store.remove(newExample.getAttribute('data-autosave-key'));
      }
    }
    document.querySelectorAll('form[data-autosave-later]').forEach(function (form) { Autosave.watch(form); });

    Autosave.on('saved', function (saver, json) {
      showSaved(json);
      if (saver.form === newExample && saver.addRequested && !saver.dirty()) goToNewExample(saver);
    });
    Autosave.on('submit', function (saver) {
      if (saver.form !== newExample) return;
      saver.addRequested = true;
      if (!saver.dirty()) goToNewExample(saver);
    });

    /** "Add example": the draft is saved already; the page shows it in its place, with focus on it. */
    function goToNewExample(saver) {
      var exampleId = saver.url().split('/').pop();
      var url = new URL(window.location.href);
      url.searchParams.set('done', 'example-added');
      url.hash = 'ex-' + exampleId + '-heading';
      window.location.assign(url.toString());
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

    // ---- two tabs changed the same text ------------------------------------------------------------
    var FIELD_NAMES = { body: 'Your text', title: 'Title', role: 'Your role', project: 'Project', year: 'Year', description: 'Description', reflection: 'Reflection' };

    function partOf(side, saver) {
      var key = saver.form.getAttribute('data-part');
      if (key === 'new') key = saver.url().split('/').pop();
      if (key === 'body') return { body: side.body, version: side.bodyVersion };
      var ex = (side.examples || []).filter(function (e) { return e._id === key; })[0];
      if (!ex) return null;
      return { title: ex.title, role: ex.tags.role, project: ex.tags.project, year: ex.tags.year, description: ex.description, reflection: ex.reflection, version: ex.version };
    }

    Autosave.on('conflict', function (saver, json, item) {
      var theirs = partOf(json.theirs, saver) || {};
      var versions = { baseVersion: json.theirs.version, partVersion: theirs.version };
      var fields = Object.keys(theirs).filter(function (k) { return k !== 'version'; });
      var base = {};
      fields.forEach(function (k) { base[k] = theirs[k]; });
      // Nothing differs after all (the other save was this very text): save it again on top, without asking.
      if (fields.every(function (k) { return theirs[k] === item.payload[k]; })) return saver.resolve(null, versions, base);
      var merge = json.merge || { combined: combineBoth(theirs, item.payload, fields), differences: null };
      showChoice(saver, merge, theirs, item.payload, fields, function (values) { saver.resolve(values, versions, base); });
    });

    function combineBoth(theirs, yours, fields) {
      var out = {};
      fields.forEach(function (k) {
        if (theirs[k] === yours[k]) out[k] = yours[k];
        else if (k === 'body' || k === 'description' || k === 'reflection') out[k] = '<p><strong>Saved elsewhere:</strong></p>' + (theirs[k] || '') + '<p><strong>Your version:</strong></p>' + (yours[k] || '');
        else out[k] = (theirs[k] || '') + ' / ' + (yours[k] || '');
      });
      return out;
    }

    /** Both versions side by side, the words that differ marked, and two choices that never drop either. */
    function showChoice(saver, merge, theirs, yours, fields, resolve) {
      var label = saver.form.getAttribute('data-autosave-label') || 'This text';
      panel.innerHTML = '';
      var h = el('h2', label + ' was changed in another tab or device');
      var p = el('p', 'Both versions are kept below; the words that differ are marked. Choose what to save. The version you do not keep stays in the revision history.');
      panel.append(h, p);
      var cols = el('div', null, 'two-col');
      [['theirs', 'The saved version (from elsewhere)'], ['yours', 'Your version (this tab)']].forEach(function (side) {
        var card = el('section', null, 'card');
        card.setAttribute('data-side', side[0]);
        card.append(el('h3', side[1]));
        fields.forEach(function (k) {
          var a = side[0] === 'theirs' ? theirs[k] : yours[k];
          if (!a && !(merge.differences && merge.differences[k])) return;
          card.append(el('h4', FIELD_NAMES[k] || k));
          var box = el('div', null, 'diff');
          var parts = merge.differences && merge.differences[k];
          if (parts) {
            parts.forEach(function (part) {
              if (part.kind === 'same') box.append(document.createTextNode(part.text));
              else if (part.kind === side[0]) {
                var mark = document.createElement(side[0] === 'theirs' ? 'del' : 'ins');
                mark.append(el('span', '[' + (side[0] === 'theirs' ? 'only in the saved version' : 'only in yours') + ': ', 'visually-hidden'), document.createTextNode(part.text), el('span', ']', 'visually-hidden'));
                box.append(mark);
              }
            });
          } else box.textContent = textOf(a);
          card.append(box);
        });
        cols.append(card);
      });
      panel.append(cols);
      var actions = el('div', null, 'actions');
      var both = el('button', 'Keep both (then edit)');
      both.type = 'button';
      both.setAttribute('data-choice', 'both');
      var mine = el('button', 'Keep mine', 'button--secondary');
      mine.type = 'button';
      mine.setAttribute('data-choice', 'mine');
      actions.append(both, mine);
      panel.append(actions);
      panel.hidden = false;
      panel.focus();
      both.addEventListener('click', function () { close(); resolve(merge.combined); focusFirst(saver.form); });
      mine.addEventListener('click', function () { close(); resolve(yours); });
    }

    function close() { panel.hidden = true; panel.innerHTML = ''; }
    function focusFirst(form) { var f = form.querySelector('trix-editor, textarea, input[type="text"]'); if (f) f.focus(); }
    function textOf(html) { return new DOMParser().parseFromString(html || '', 'text/html').body.textContent; } // an inert document runs nothing
    function el(tag, text, cls) {
      var e = document.createElement(tag);
      if (text) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    }

    // Focus lands on what a full-page action just added or changed (the address names it).
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus();
      }
    }
  }
})();
