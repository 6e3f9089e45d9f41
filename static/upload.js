/* Upload progress for the materials page. Without this script the plain
 * forms work as they are; with it, a large upload shows its progress and
 * the page then follows the server's redirect. */
(function () {
  'use strict';
  /* Back at a slot (#m-...): the focus goes there too, so the keyboard
   * and a screen reader carry on where the upload or removal was. */
  var at = window.location.hash && document.getElementById(
      decodeURIComponent(window.location.hash.slice(1)));
  if (at && at.classList.contains('slot')) at.focus();
  if (!window.XMLHttpRequest || !window.FormData) return;
  var forms = document.querySelectorAll('form.upload');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (ev) {
      var input = form.querySelector('input[type=file]');
      if (!input || !input.files || !input.files.length) return;
      ev.preventDefault();
      var bar = form.querySelector('progress');
      var button = form.querySelector('button[type=submit]');
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable || !bar) return;
        bar.hidden = false;
        bar.value = Math.round(e.loaded * 100 / e.total);
        bar.textContent = bar.value + '%';
      });
      xhr.addEventListener('load', function () {
        /* Success redirects to the list; an error page replaces this one. */
        if (xhr.responseURL && xhr.status < 400) {
          /* The redirect's #slot is not in responseURL: put it back, so
           * the page opens at the slot with its message, not the top. */
          var slot = form.closest ? form.closest('.slot') : null;
          var url = xhr.responseURL.split('#')[0];
          window.location.assign(slot && slot.id ? url + '#' + slot.id : url);
        } else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      });
      xhr.addEventListener('error', function () {
        if (button) button.disabled = false;
        if (bar) bar.hidden = true;
        alert('上传失败：网络连接中断，请重试。');
      });
      if (button) button.disabled = true;
      xhr.send(new FormData(form));
    });
  });
})();
