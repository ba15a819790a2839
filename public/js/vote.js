// Votes from a list of ideas without leaving the page. Without scripts each vote button posts the
// list's form to its idea's vote and comes back to the same place in the list; with them it posts in the background
// and the button and the count change in place. Anything unexpected falls back to the plain post.
// Every text comes from the page, in its language: the count's forms ("# votes") from data-count-one
// and data-count-other on the count or the list around it; the labels, hints and spoken status from the list's data-
// attributes (views/partials/vote-texts.hbs), with the idea's title from its button's data-title.
(function () {
  'use strict';
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  document.body.appendChild(status);
  var lang = document.documentElement.lang || 'en';

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  // The element's count forms: its own, or its list's.
  function countForms(element) {
    var holder = element.closest('[data-count-one]') || element;
    return [holder.getAttribute('data-count-one') || '#', holder.getAttribute('data-count-other') || '#'];
  }

  // "3 votes" or "1 vote", as the element writes its count.
  function countText(element, count) {
    var n = Number(count) || 0;
    return countForms(element)[n === 1 ? 0 : 1].replace('#', n.toLocaleString(lang));
  }

  // The count at the start of the element's first text, in either form (the longer tried first: "votes" before "vote").
  function countPattern(element) {
    var forms = countForms(element).sort(function (a, b) {
      return b.length - a.length;
    });
    return new RegExp('^(\\s*)(?:' + forms.map(function (form) { return escape(form).replace('#', '[\\d.,\\u00a0\\u202f]+'); }).join('|') + ')');
  }

  // The list's text `name` for this button: the count (when given) first, then the title, so a "#" in a title stays.
  function text(button, name, count) {
    var title = button.getAttribute('data-title') || '';
    var template = button.closest('[data-vote-texts]').getAttribute(name) || '';
    if (count !== undefined) template = template.replace('#', count);
    return template.replace('{title}', function () {
      return title;
    });
  }

  function show(button, state) {
    var id = button.getAttribute('formaction').split('/')[2];
    button.value = state.voted ? 'withdraw' : 'vote';
    button.classList.toggle('button--secondary', state.voted);
    button.querySelector('[data-vote-text]').textContent = text(button, state.voted ? 'data-voted-label' : 'data-vote-label');
    button.querySelector('[data-vote-hint]').textContent = text(button, state.voted ? 'data-hint-withdraw' : 'data-hint-vote');
    var spoken = '';
    document.querySelectorAll('[data-vote-count="' + id + '"]').forEach(function (element) {
      var node = element.firstChild;
      spoken = countText(element, state.count);
      if (node && node.nodeType === Node.TEXT_NODE) node.nodeValue = node.nodeValue.replace(countPattern(element), '$1' + spoken);
    });
    status.textContent = text(button, state.voted ? 'data-counted' : 'data-withdrawn', spoken || String(state.count));
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!(form instanceof HTMLFormElement) || !button || !button.hasAttribute('data-vote-button') || !button.closest('[data-vote-texts]') || !window.fetch) return;
    // Sent as a plain post after all (below): let it go.
    if (button.dataset.plain) return;
    event.preventDefault();
    if (button.dataset.sending) return;
    button.dataset.sending = 'yes';
    // The list's token and way back, and this button's own choice (vote or withdraw).
    var body = new URLSearchParams(new FormData(form));
    body.set(button.name, button.value);
    fetch(button.getAttribute('formaction'), { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('refused');
        return response.json();
      })
      .then(function (state) {
        delete button.dataset.sending;
        show(button, state);
      })
      .catch(function () {
        // The server's page says what went wrong (a used-up vote budget, a lapsed session).
        button.dataset.plain = 'yes';
        form.requestSubmit(button);
      });
  });
})();
