// A page of a session without cookies opened without its one-time pass (a reload, the back button): in the tab
// that launched it, the tab keeps the session's secret (bind-secret.js), which buys a pass; anywhere else the page explains.
(function () {
  var root = document.getElementById('session-resume');
  if (!root || root.getAttribute('data-resume') !== 'on') return;
  var secret = window.cmaltBindSecret ? window.cmaltBindSecret.read() : null;
  if (!secret) return;
  var form = document.getElementById('resume-form');
  form.elements.bind.value = secret;
  document.getElementById('resume-why').hidden = true;
  document.getElementById('resume-heading').textContent = 'Opening your page';
  document.getElementById('resume-status').textContent = 'Opening your page…';
  form.submit();
})();
