// Drag a card to another column to move it; the card's own form does the same without JavaScript.
// Only the moves the workflow allows are drop targets; the public note is asked for on drop, in
// the page's language (the board renders the question into data-drop-prompt).
(function () {
  'use strict';
  var dragged = null;

  function allowed(card, status) {
    return (card.getAttribute('data-moves') || '').split(' ').indexOf(status) !== -1;
  }

  document.querySelectorAll('[data-item][draggable="true"]').forEach(function (card) {
    card.addEventListener('dragstart', function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', card.getAttribute('data-item'));
    });
    card.addEventListener('dragend', function () { dragged = null; });
  });

  document.querySelectorAll('[data-column]').forEach(function (column) {
    var status = column.getAttribute('data-column');
    column.addEventListener('dragover', function (event) {
      if (dragged && allowed(dragged, status)) event.preventDefault();
    });
    column.addEventListener('drop', function (event) {
      if (!dragged || !allowed(dragged, status)) return;
      event.preventDefault();
      var form = dragged.querySelector('form');
      var board = document.querySelector('[data-board]');
      var note = window.prompt(board ? board.getAttribute('data-drop-prompt') : '', '');
      if (note === null) return;
      form.querySelector('select[name="to"]').value = status;
      form.querySelector('input[name="note"]').value = note;
      form.submit();
    });
  });
})();
