// Progressive enhancements of the idea form; the form works fully without them.
// 1. While the title is typed, similar ideas in the challenge are suggested.
// 2. A draft saves itself every 20 seconds when something changed.
// Their texts come from data- attributes the form renders in the page's language.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form) return;

  var similarBox = form.querySelector('[data-similar-for]');
  var titleInput = form.querySelector('#title');
  var similarTimer = null;

  function showSimilar(ideas) {
    similarBox.textContent = '';
    if (!ideas.length) return;
    var intro = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = similarBox.getAttribute('data-question');
    intro.appendChild(strong);
    intro.appendChild(document.createTextNode(' ' + similarBox.getAttribute('data-hint')));
    var list = document.createElement('ul');
    ideas.forEach(function (idea) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = idea.url;
      link.textContent = idea.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    similarBox.appendChild(intro);
    similarBox.appendChild(list);
  }

  if (similarBox && titleInput) {
    titleInput.addEventListener('input', function () {
      clearTimeout(similarTimer);
      similarTimer = setTimeout(function () {
        var url = new URL(similarBox.getAttribute('data-similar-url'), window.location.href);
        url.searchParams.set('title', titleInput.value);
        fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (response) { return response.ok ? response.json() : { ideas: [] }; })
          .then(function (body) { showSimilar(body.ideas || []); })
          .catch(function () {});
      }, 300);
    });
  }

  // Only drafts save themselves: an edit of a submitted idea is a revision, made on purpose.
  if (!form.querySelector('button[value="save"][data-draft]')) return;
  var status = form.querySelector('[data-autosave-status]');
  var changed = false;
  var saving = false;
  form.addEventListener('input', function () { changed = true; });

  function autosave() {
    if (!changed || saving || !titleInput.value.trim()) return;
    saving = true;
    changed = false;
    var data = new FormData(form);
    data.delete('attachments');
    data.set('intent', 'autosave');
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error((body.error && body.error.message) || status.getAttribute('data-not-saved'));
          // The first autosave created the draft: from now on the form edits it.
          if (form.querySelector('input[name="idempotencyKey"]')) {
            form.querySelector('input[name="idempotencyKey"]').remove();
            var action = new URL(form.action);
            action.pathname = '/ideas/' + body.ideaId;
            form.action = action.toString();
          }
          // The 24-hour clock the pages use (en-GB, de-DE: the page's language), whatever the browser's locale.
          var time = new Intl.DateTimeFormat(document.documentElement.lang === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(body.savedAt));
          status.textContent = status.getAttribute('data-saved').replace('#', time);
        });
      })
      .catch(function (error) {
        changed = true;
        status.textContent = status.getAttribute('data-failed').replace('#', error.message);
      })
      .finally(function () { saving = false; });
  }
  setInterval(autosave, 20000);
})();
