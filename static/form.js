/* The 申请书's pages: long text fields count down the characters left.
 * Without this script each shows its limit ("最多 N 字"), and the server
 * refuses a longer text with a message next to the field. */
(function () {
  'use strict';
  var fields = document.querySelectorAll('[data-maxlen]');
  Array.prototype.forEach.call(fields, function (el) {
    var max = parseInt(el.getAttribute('data-maxlen'), 10);
    var out = document.getElementById(el.id + '-count');
    if (!out || !max) return;
    var shown = -1;
    function update() {
      /* Characters as the server counts them: code points. */
      var n = Array.from ? Array.from(el.value).length : el.value.length;
      var left = max - n;
      /* Announce only every 50 characters, and the last 20. */
      var step = left <= 20 ? left : Math.floor(left / 50);
      out.textContent = left >= 0 ? '最多 ' + max + ' 字，还可输入 ' + left + ' 字' :
          '最多 ' + max + ' 字，已超出 ' + (-left) + ' 字，请精简';
      out.className = left >= 0 ? 'char-count' : 'char-count field-error';
      if (step === shown) out.setAttribute('aria-live', 'off');
      else out.setAttribute('aria-live', 'polite');
      shown = step;
    }
    el.addEventListener('input', update);
    update();
  });
})();
