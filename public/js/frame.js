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
