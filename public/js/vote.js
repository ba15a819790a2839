// Votes from a list of ideas without leaving the page. Without scripts each vote button is a form
// that posts and comes back to the same place in the list; with them it posts in the background
// and the button and the count change in place. Anything unexpected falls back to the plain post.
(function () {
  'use strict';
  var COUNT = /^(\s*)[\d,]+ votes?/;
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  document.body.appendChild(status);

  function plural(count) {
    var n = Number(count) || 0;
    return n.toLocaleString('en-GB') + ' ' + (n === 1 ? 'vote' : 'votes');
  }

  function show(form, state) {
    var id = form.getAttribute('action').split('/')[2];
    var title = form.getAttribute('data-title');
    var button = form.querySelector('button');
    form.querySelector('input[name="action"]').value = state.voted ? 'withdraw' : 'vote';
    button.classList.toggle('button--secondary', state.voted);
    button.querySelector('[data-vote-text]').textContent = state.voted ? button.getAttribute('data-voted-label') : button.getAttribute('data-vote-label');
    button.querySelector('[data-vote-hint]').textContent = state.voted ? ' (withdraw my vote for “' + title + '”)' : ' for “' + title + '”';
    document.querySelectorAll('[data-vote-count="' + id + '"]').forEach(function (element) {
      var text = element.firstChild;
      if (text && text.nodeType === Node.TEXT_NODE) text.nodeValue = text.nodeValue.replace(COUNT, '$1' + plural(state.count));
    });
    status.textContent = (state.voted ? 'Your vote for “' + title + '” is counted: ' : 'Your vote for “' + title + '” is withdrawn: ') + plural(state.count) + '.';
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-vote-form') || !window.fetch) return;
    event.preventDefault();
    if (form.dataset.sending) return;
    form.dataset.sending = 'yes';
    // getAttribute: the form's own "action" field hides the form.action property.
    fetch(form.getAttribute('action'), { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('refused');
        return response.json();
      })
      .then(function (state) {
        delete form.dataset.sending;
        show(form, state);
      })
      .catch(function () {
        // The server's page says what went wrong (a used-up vote budget, a lapsed session).
        form.submit();
      });
  });
})();
