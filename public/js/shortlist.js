// Drag a shortlist row to another place to reorder the list in one step. The drop posts the whole
// new order (with the page's CSRF token); without scripts, or from the keyboard, the Up and Down
// forms do the same one step at a time. If the post fails, the page reloads to show the list as stored.
(function () {
  'use strict';
  var form = document.querySelector('form[data-shortlist-order]');
  var body = document.querySelector('[data-shortlist] tbody');
  if (!form || !body) return;
  var dragged = null;
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  form.parentNode.insertBefore(status, form);

  function rows() {
    return Array.prototype.slice.call(body.querySelectorAll('tr[data-entry]'));
  }

  // Positions and the Up/Down buttons at the ends follow the rows' new places.
  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      row.querySelector('[data-position]').textContent = String(index + 1);
      var up = row.querySelector('[data-move="up"]');
      var down = row.querySelector('[data-move="down"]');
      if (up) up.hidden = index === 0;
      if (down) down.hidden = index === all.length - 1;
    });
  }

  function save() {
    var data = new URLSearchParams(new FormData(form));
    rows().forEach(function (row) { data.append('order', row.getAttribute('data-entry')); });
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (answer) {
          // Not shown: a failed save reloads the page, which shows the list as stored.
          if (!response.ok) throw new Error(answer.error && answer.error.message);
          status.textContent = answer.message;
        });
      })
      .catch(function () { window.location.reload(); });
  }

  function order() {
    return rows().map(function (row) { return row.getAttribute('data-entry'); }).join(' ');
  }

  var before = '';
  body.querySelectorAll('[draggable="true"]').forEach(function (handle) {
    var row = handle.closest('tr');
    handle.addEventListener('dragstart', function (event) {
      dragged = row;
      before = order();
      row.classList.add('is-dragging');
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', row.getAttribute('data-entry'));
    });
    // Saved when the drag ends wherever it was let go: the rows already stand where they were dragged.
    handle.addEventListener('dragend', function () {
      row.classList.remove('is-dragging');
      dragged = null;
      if (order() === before) return;
      renumber();
      save();
    });
  });
  rows().forEach(function (row) {
    row.addEventListener('dragover', function (event) {
      if (!dragged) return;
      event.preventDefault();
      if (row === dragged) return;
      var box = row.getBoundingClientRect();
      body.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? row : row.nextSibling);
    });
    row.addEventListener('drop', function (event) {
      if (dragged) event.preventDefault();
    });
  });
})();
