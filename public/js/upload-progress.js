// A file form sent with a progress bar: a 20 MB file over slow Wi-Fi takes minutes, and a silent page looks stuck.
// It also says at once when a chosen file is over the limit. Without JavaScript, or without a file, the form posts
// as usual; the server checks everything either way.
(function () {
  if (!window.XMLHttpRequest || !window.FormData) return;
  var MB = 1024 * 1024;
  var size = function (n) { return (n < 10 * MB ? (n / MB).toFixed(1) : Math.round(n / MB)) + ' MB'; };

  function bind(form) {
    var input = form.querySelector('input[type="file"]');
    var status = form.querySelector('[data-upload-status]');
    var bar = form.querySelector('progress');
    var button = form.querySelector('button[type="submit"]');
    if (!input || !status || !bar || !button) return;
    var max = Number(input.getAttribute('data-max-bytes')) || 0;
    var tooBig = function (f) { return max && f.size > max; };
    var overLimit = function (f) {
      return 'This file is ' + size(f.size) + ', and the largest you can upload is ' + size(max) + '. Choose a smaller file.';
    };

    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      status.textContent = f && tooBig(f) ? overLimit(f) : '';
    });

    form.addEventListener('submit', function (event) {
      var f = input.files && input.files[0];
      if (!f || button.disabled) return; // no file: the server's own answer says what is missing
      event.preventDefault();
      if (tooBig(f)) {
        status.textContent = overLimit(f);
        input.focus();
        return;
      }
      var xhr = new XMLHttpRequest();
      var said = -1;
      var fail = function (message) {
        button.disabled = false;
        bar.hidden = true;
        status.textContent = message;
      };
      xhr.open('POST', form.action);
      xhr.responseType = 'document';
      button.disabled = true; // one upload at a time
      bar.hidden = false;
      bar.value = 0;
      status.textContent = 'Uploading ' + f.name + '. Please keep this page open.';
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        var pct = Math.floor((e.loaded / e.total) * 100);
        // the live region speaks at each quarter, not at every event
        if (Math.floor(pct / 25) !== said) {
          said = Math.floor(pct / 25);
          status.textContent = 'Uploading ' + f.name + ': ' + pct + '% (' + size(e.loaded) + ' of ' + size(e.total) + ').';
        }
      };
      xhr.onload = function () {
        if (xhr.status < 400 && xhr.responseURL) {
          status.textContent = 'Uploaded. Opening it…';
          window.location.assign(xhr.responseURL); // where the form would have landed
          return;
        }
        // a refusal answers the same page with the problems listed: show it in place, focus the list
        var main = xhr.response && xhr.response.querySelector('main');
        var here = document.querySelector('main');
        if (!main || !here) return fail('The upload did not finish (error ' + xhr.status + '), so the file was not saved. Please try again.');
        here.replaceWith(document.importNode(main, true));
        Array.prototype.forEach.call(document.querySelectorAll('form[data-upload-progress]'), bind);
        var summary = document.querySelector('.error-summary, [role="alert"]');
        if (summary && typeof summary.focus === 'function') summary.focus();
      };
      xhr.onerror = function () {
        fail('The connection dropped, so the file was not uploaded. Check your connection and try again.');
      };
      xhr.send(new FormData(form));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-upload-progress]'), bind);
})();
