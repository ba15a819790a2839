// Suggests names while "@…" is typed in a comment. Without scripts people type the full name, as
// the hint says; the server decides who is mentioned either way, so this only saves typing.
(function () {
  'use strict';
  var discussion = document.querySelector('[data-mentions-url]');
  if (!discussion) return;
  var url = discussion.getAttribute('data-mentions-url');
  // What follows the last "@" before the caret: a name's start (letters, spaces, apostrophes, dots, hyphens).
  var TYPED = /(?:^|\s)@([\p{L}\p{N}'’ .-]{0,40})$/u;
  var timer = null;
  var box = document.createElement('div');
  box.className = 'mention-suggestions';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'People you can mention');
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  discussion.appendChild(status);

  function close() {
    box.textContent = '';
    if (box.parentNode) box.parentNode.removeChild(box);
  }

  function insert(textarea, typed, name) {
    var caret = textarea.selectionStart;
    var before = textarea.value.slice(0, caret - typed.length);
    textarea.value = before + name + ' ' + textarea.value.slice(caret);
    var at = before.length + name.length + 1;
    textarea.focus();
    textarea.setSelectionRange(at, at);
    close();
  }

  function show(textarea, typed, names) {
    close();
    status.textContent = names.length ? names.length + (names.length === 1 ? ' person' : ' people') + ' to mention: use Tab to reach them.' : '';
    if (!names.length) return;
    names.forEach(function (name) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-button';
      button.textContent = '@' + name;
      button.addEventListener('click', function () { insert(textarea, typed, name); });
      box.appendChild(button);
    });
    textarea.insertAdjacentElement('afterend', box);
  }

  discussion.addEventListener('input', function (event) {
    var textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement)) return;
    clearTimeout(timer);
    var match = TYPED.exec(textarea.value.slice(0, textarea.selectionStart));
    if (!match) return close();
    var typed = match[1];
    timer = setTimeout(function () {
      var address = new URL(url, window.location.href);
      address.searchParams.set('q', typed);
      fetch(address, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : { names: [] }; })
        .then(function (body) { show(textarea, typed, body.names || []); })
        .catch(close);
    }, 200);
  });
  discussion.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && box.parentNode) close();
  });
})();
