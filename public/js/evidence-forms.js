// After a refused form, move focus to the list of problems so screen-reader and keyboard users start there.
(function () {
  var summary = document.querySelector('.error-summary');
  if (summary && typeof summary.focus === 'function') summary.focus();
})();
