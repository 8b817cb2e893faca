/*
 * Folded planning notes: each note's form sits in a <details> so the page stays short. This opens a note when
 * there is something to see in it (the note a link points at, text kept from an unsaved visit, a clash), and
 * keeps the folded view (title and start of the text) in step with what autosave stored.
 */
(function () {
  'use strict';

  function detailsOf(el) {
    var note = el && el.closest ? el.closest('article.note') : null;
    return note ? note.querySelector('details.note__edit') : null;
  }
  function open(el) {
    var d = detailsOf(el);
    if (d && !d.open) d.open = true;
  }
  function openFromHash() {
    if (location.hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) open(target);
  }
  // Cut at a word, as the page does (planning.presenter.ts gistOf).
  function gistOf(text) {
    var flat = String(text || '').replace(/\s+/g, ' ').trim();
    if (flat.length <= 160) return flat;
    var cut = flat.slice(0, 160);
    var space = cut.lastIndexOf(' ');
    return cut.slice(0, space > 0 ? space : 160) + '…';
  }
  function refresh(form) {
    var note = form.closest('article.note');
    if (!note) return;
    var title = form.querySelector('[name="title"]');
    var did = form.querySelector('[name="did"]');
    var heading = note.querySelector('[data-note-title]');
    var gist = note.querySelector('[data-note-gist]');
    if (heading && title) heading.textContent = title.value.trim() || heading.getAttribute('data-note-title');
    if (gist && did) gist.textContent = gistOf(did.value) || 'Nothing written yet.';
  }

  var autosave = window.Autosave;
  if (autosave) {
    // Text put back from an earlier visit was restored before this script ran: show it.
    autosave.savers.forEach(function (s) { if (s.pending || s.conflict) open(s.form); });
    autosave.on('restored', function (s) { open(s.form); });
    autosave.on('conflict', function (s) { open(s.form); });
    autosave.on('saved', function (s) { refresh(s.form); });
  }
  openFromHash();
  window.addEventListener('hashchange', openFromHash);
})();
