// Tells the VLE that frames us how tall the page is, so there is no inner scroll bar.
// Moodle/Blackboard/Brightspace listen for lti.frameResize; Canvas for its own subject.
(function () {
  if (window.parent === window) return;
  var last = 0;
  function report() {
    // the page's own height: scrollHeight never drops below the frame's, so a frame could grow but not shrink
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ subject: 'lti.frameResize', height: height }, '*');
    window.parent.postMessage(JSON.stringify({ subject: 'lti.frameResize', height: height }), '*');
  }
  window.addEventListener('load', report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
})();

// A session without cookies (platform storage) opens a page only with a one-time pass, which the secret this tab
// keeps buys (src/lti/storage/bind.ts). Following a link of the tool: ask for the pass and the page in one step,
// instead of landing on the "open from your VLE" page first and resuming from there.
(function () {
  var bound = document.querySelector('meta[name="cmalt-bound"]');
  if (!bound) return;
  var secret = window.cmaltBindSecret ? window.cmaltBindSecret.read() : null;
  if (!secret) return;
  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !url.searchParams.get('ltik') || url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
    event.preventDefault();
    var form = document.createElement('form');
    form.method = 'post';
    form.action = bound.getAttribute('content');
    [['ltik', url.searchParams.get('ltik')], ['to', url.pathname + url.search + url.hash], ['bind', secret]].forEach(function (pair) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  });
})();
