// Tells the VLE that frames us how tall the page is, so that a VLE that listens can size its frame to fit.
// Canvas reads lti.frameResize (as an object or a JSON string); Moodle 4.5 core does not listen at all (its
// frame keeps the window's height and the page scrolls inside it), so no page may depend on the frame growing:
// the save status and primary actions stick to the inner scroll's edges (app.css, .actions--sticky).
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
