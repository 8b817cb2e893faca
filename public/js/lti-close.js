// Dynamic registration is finished: tell the VLE that opened us (frame or window) to close us.
(function () {
  var target = window.opener || (window.parent !== window ? window.parent : null);
  if (target) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
})();
