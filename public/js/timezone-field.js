// On a new challenge, the time-zone field starts at the browser's own zone when the list has it
// (the server can only guess from the account). Without scripts the account's zone stays.
(function () {
  'use strict';
  var input = document.querySelector('input[data-browser-zone]');
  if (!input || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var known = Array.prototype.some.call(document.querySelectorAll('#timezone-list option'), function (option) {
    return option.value === zone;
  });
  if (zone && known) input.value = zone;
})();
