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

  var decisionForm = document.querySelector('form[data-decision-form]');

  // Chooses an outcome as if its radio were clicked, so the form shows that outcome's fields.
  function choose(kind) {
    var radio = decisionForm && decisionForm.querySelector('input[name="kind"][value="' + kind + '"]');
    if (!radio) return null;
    radio.checked = true;
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    return decisionForm;
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
    a: function () { if (screening) submit(choose('approve')); },
    c: function () { if (screening) focusIn(choose('request-changes'), '[name="responseId"], textarea'); },
    r: function () { if (screening) focusIn(choose('reject'), '[name="reason"]'); },
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

  // The chosen outcome shows only its own fields and canned responses, and names the button.
  // Without scripts every field shows, and the server refuses a response meant for another outcome.
  if (decisionForm) {
    var cannedSelect = decisionForm.querySelector('select[name="responseId"]');
    var groups = cannedSelect ? Array.prototype.slice.call(cannedSelect.querySelectorAll('optgroup')) : [];
    var button = decisionForm.querySelector('[data-decision-submit]');
    var showOutcome = function () {
      var chosen = decisionForm.querySelector('input[name="kind"]:checked');
      var kind = chosen ? chosen.value : '';
      decisionForm.querySelectorAll('[data-for-kind]').forEach(function (field) {
        field.hidden = kind !== '' && field.getAttribute('data-for-kind') !== kind;
      });
      groups.forEach(function (group) {
        var fits = kind === '' || group.getAttribute('data-kind') === kind;
        if (fits && !group.parentNode) cannedSelect.appendChild(group);
        if (!fits && group.parentNode) {
          if (group.contains(cannedSelect.options[cannedSelect.selectedIndex])) cannedSelect.value = '';
          group.remove();
        }
      });
      if (button && chosen) button.textContent = chosen.getAttribute('data-submit');
      if (button) button.classList.toggle('button--danger', kind === 'reject');
    };
    decisionForm.addEventListener('change', function (event) {
      if (event.target.name === 'kind') showOutcome();
    });
    showOutcome();
  }

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
