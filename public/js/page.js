// What every page gets from script, each complete without it:
// - A table wider than the window scrolls inside its .table-wrap. A wrap that does is made a
//   focusable region named after its table (its caption, else the heading before it), so a
//   keyboard can scroll it too; wraps that fit stay out of the tab order.
// - A refused form's summary (.error-summary) takes the focus, which brings it into view: on a
//   long page (the phase form of a challenge) it sat below the fold of the page that said it.
// - A button with data-confirm (a delete, a revoke) asks first; without script it acts at once.
(function () {
  'use strict';
  function nameOf(wrap) {
    var caption = wrap.querySelector('caption');
    if (caption) return caption.textContent.trim();
    for (var element = wrap.previousElementSibling; element; element = element.previousElementSibling) {
      if (/^H[1-6]$/.test(element.tagName)) return element.textContent.trim();
    }
    return '';
  }
  function markScrolling() {
    document.querySelectorAll('.table-wrap:not([tabindex])').forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      var name = nameOf(wrap);
      wrap.setAttribute('tabindex', '0');
      wrap.setAttribute('role', 'region');
      if (name) wrap.setAttribute('aria-label', name);
    });
  }
  markScrolling();
  window.addEventListener('resize', markScrolling);

  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-confirm]') : null;
    if (button && !window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
  });
})();
