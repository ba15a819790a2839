// Autosaves a scorecard as a draft a few seconds after the judge stops typing; the buttons still
// save and submit without JavaScript. A submitted scorecard is not re-saved behind the judge's back.
(function () {
  'use strict';
  var form = document.querySelector('form[data-scorecard]');
  if (!form || form.querySelector('fieldset[disabled]')) return;
  var status = form.querySelector('[data-autosave-status]');
  // The words come from the page, in the reader's language; {time} and {reason} are filled in here.
  function text(name, value) {
    var template = (status && status.getAttribute('data-' + name)) || '';
    return template.replace(/\{(time|reason)\}/, value || '');
  }
  var timer = null;
  var saving = false;

  function save() {
    if (saving) return;
    saving = true;
    var data = new URLSearchParams(new FormData(form));
    data.set('intent', 'save');
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error((body.error && body.error.message) || text('not-saved'));
          if (status) status.textContent = text('saved-at', new Date(body.savedAt).toLocaleTimeString(document.documentElement.lang || undefined));
        });
      })
      .catch(function (error) {
        if (status) status.textContent = text('not-saved-because', error.message);
      })
      .finally(function () { saving = false; });
  }

  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
})();
