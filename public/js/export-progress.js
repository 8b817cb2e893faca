// While an export is being built, asks for its progress every few seconds and shows it in the
// status line (a polite live region); reloads once a build finishes so the download appears.
(function () {
  var box = document.querySelector('.formats[data-status]');
  if (!box) return;
  var busy = function (s) { return s === 'queued' || s === 'running'; };
  var lines = Array.prototype.slice.call(box.querySelectorAll('.job-status'));
  var watching = lines.some(function (l) { return /^(Waiting|Building)/.test(l.textContent || ''); });
  if (!watching) return;
  var ltik = document.querySelector('meta[name="ltik"]');
  function poll() {
    fetch(box.getAttribute('data-status'), { headers: { Accept: 'application/json', Authorization: ltik ? 'Bearer ' + ltik.content : '' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (states) {
        if (!states) return;
        var stillBusy = false;
        lines.forEach(function (line) {
          var s = states[line.getAttribute('data-format')];
          if (!s) return;
          if (line.textContent !== s.message) line.textContent = s.message;
          if (busy(s.state)) stillBusy = true;
        });
        if (stillBusy) setTimeout(poll, 3000);
        else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  setTimeout(poll, 2000);
})();
