// Keyboard shortcuts for screening (the pages work without them: every action is a form).
// Item page: a approve · c request changes · r reject · m merge · s skip · ? help.
// Queue page: n screen the oldest · j/k move · x select · Enter open · ? help.
// A canned response chosen in a decision form fills its message, with the placeholders filled in.
(function () {
  'use strict';
  var help = document.getElementById('shortcut-help');
  var screening = document.querySelector('[data-screening-idea]');
  var queueItems = Array.prototype.slice.call(document.querySelectorAll('[data-queue-item]'));
  var current = -1;

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function decisionForm(kind) {
    return document.querySelector('form[data-decision="' + kind + '"]');
  }

  function submit(form) {
    if (!form || form.dataset.sent) return;
    form.dataset.sent = 'yes';
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  function focusIn(form, selector) {
    var field = form && form.querySelector(selector);
    if (field) {
      field.scrollIntoView({ block: 'center' });
      field.focus();
    }
  }

  function moveTo(index) {
    if (!queueItems.length) return;
    current = Math.max(0, Math.min(queueItems.length - 1, index));
    var link = queueItems[current].querySelector('a');
    if (link) link.focus();
  }

  var actions = {
    '?': function () { if (help) help.open = !help.open; },
    a: function () { if (screening) submit(decisionForm('approve')); },
    c: function () { if (screening) focusIn(decisionForm('request-changes'), 'select, textarea'); },
    r: function () { if (screening) focusIn(decisionForm('reject'), 'select'); },
    m: function () { var button = document.querySelector('[data-merge-button]'); if (button) { button.scrollIntoView({ block: 'center' }); button.focus(); } },
    s: function () { if (screening) submit(document.querySelector('form[data-skip]')); },
    n: function () { var start = document.querySelector('[data-start-screening]'); if (start) window.location.assign(start.href); },
    j: function () { moveTo(current + 1); },
    k: function () { moveTo(current - 1); },
    x: function () {
      var box = queueItems[current] && queueItems[current].querySelector('input[type="checkbox"]');
      if (box) box.checked = !box.checked;
    },
  };

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape' && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target)) return;
    var action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // A merge moves votes, followers and credit: it is asked once more (without scripts, it goes at once and can be undone).
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  // A canned response fills its form's message; the server fills the same placeholders again.
  var values = screening ? { author: screening.getAttribute('data-author') || '', title: screening.getAttribute('data-title') || '', challenge: screening.getAttribute('data-challenge') || '' } : null;
  document.querySelectorAll('select[data-canned-for]').forEach(function (select) {
    select.addEventListener('change', function () {
      var option = select.options[select.selectedIndex];
      var message = document.getElementById(select.getAttribute('data-canned-for'));
      if (!message || !option || !option.getAttribute('data-text')) return;
      var text = option.getAttribute('data-text');
      message.value = values ? text.replace(/\{(author|title|challenge)\}/g, function (_, key) { return values[key]; }) : text;
    });
  });
})();
