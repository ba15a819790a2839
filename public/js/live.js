// Live updates over socket.io. Every page is complete without them; they only save a reload.
// - A page names what it shows in data-live-room ("challenge:<id>", "idea:<id>"; several may be
//   given, separated by spaces). The server lets the socket in only if the visitor may see it.
// - [data-vote-count="<idea id>"] elements start with that idea's vote count ("3 votes").
// - [data-live-inbox] is the header's link to the notifications; its .nav__count shows the unread count.
// - [data-live-new-ideas="<challenge id>"] (a live region) says "N new ideas — reload".
// - [data-live-phase="<challenge id>"] (a live region) says when the challenge moves to another phase.
// - [data-live-queue="<challenge id>"] (a live region, on screening pages) says the queue changed.
// Only ids and counts arrive; anything else the visitor reloads.
(function () {
  'use strict';
  var rooms = [];
  document.querySelectorAll('[data-live-room]').forEach(function (element) {
    element
      .getAttribute('data-live-room')
      .split(/\s+/)
      .forEach(function (room) {
        if (room && rooms.indexOf(room) === -1) rooms.push(room);
      });
  });
  var inbox = document.querySelector('[data-live-inbox]');
  // A visitor on a page with nothing live needs no connection.
  if (!rooms.length && !inbox) return;

  var ID = /^[0-9a-f]{24}$/;

  // The texts to write, in the page's language: the layout renders them on <body>.
  var TEXTS = {};
  try {
    TEXTS = JSON.parse(document.body.getAttribute('data-live-texts') || '{}');
  } catch (error) {
    TEXTS = {};
  }
  var lang = document.documentElement.lang || 'en';
  function text(name) {
    return typeof TEXTS[name] === 'string' ? TEXTS[name] : '';
  }
  /** "3 new ideas — " from the [one, other] forms, `#` standing for the count. */
  function counted(name, count) {
    var forms = Array.isArray(TEXTS[name]) ? TEXTS[name] : ['#', '#'];
    var n = Number(count) || 0;
    return forms[n === 1 ? 0 : 1].replace('#', n.toLocaleString(lang));
  }

  /** The elements whose `attribute` names this id. */
  function elementsFor(attribute, id) {
    return Array.prototype.filter.call(document.querySelectorAll('[' + attribute + ']'), function (element) {
      return element.getAttribute(attribute) === id;
    });
  }

  function reloadButton(label) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button';
    button.textContent = label;
    button.addEventListener('click', function () {
      window.location.reload();
    });
    return button;
  }

  function showNotice(box, text, buttonLabel) {
    box.textContent = '';
    box.classList.add('notice');
    box.appendChild(document.createTextNode(text));
    box.appendChild(reloadButton(buttonLabel));
  }

  // The count is the start of the element's first text ("3 votes", or "3 votes · Ada · 2 May"),
  // in the forms the element or its list gives (data-count-one/-other, `#` for the number): only that part changes.
  function escapeRegExp(value) {
    return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  function showVotes(data) {
    if (!data || typeof data.ideaId !== 'string') return;
    elementsFor('data-vote-count', data.ideaId).forEach(function (element) {
      var text = element.firstChild;
      // On the count, or once on its list.
      var holder = element.closest('[data-count-one]') || element;
      var one = holder.getAttribute('data-count-one') || '#';
      var other = holder.getAttribute('data-count-other') || '#';
      var forms = [one, other].sort(function (a, b) {
        return b.length - a.length;
      });
      var pattern = new RegExp(
        '^(\\s*)(?:' +
          forms
            .map(function (form) {
              return escapeRegExp(form).replace('#', '[\\d.,\\u00a0\\u202f]+');
            })
            .join('|') +
          ')',
      );
      if (!text || text.nodeType !== Node.TEXT_NODE || !pattern.test(text.nodeValue)) return;
      var n = Number(data.votes) || 0;
      text.nodeValue = text.nodeValue.replace(pattern, '$1' + (n === 1 ? one : other).replace('#', n.toLocaleString(lang)));
    });
  }

  function showUnread(data) {
    if (!inbox || !data) return;
    var unread = Number(data.unread) || 0;
    var badge = inbox.querySelector('.nav__count');
    if (!unread) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'nav__count';
      inbox.appendChild(document.createTextNode(' '));
      inbox.appendChild(badge);
    }
    badge.textContent = unread.toLocaleString(lang);
    var hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = text('unread');
    badge.appendChild(hidden);
  }

  var newIdeas = {};
  function showNewIdea(data) {
    if (!data || !ID.test(data.ideaId) || !ID.test(data.challengeId)) return;
    // Already listed (the page was loaded after it came in): not new to this visitor.
    if (document.querySelector('a[href="/ideas/' + data.ideaId + '"]')) return;
    var seen = (newIdeas[data.challengeId] = newIdeas[data.challengeId] || []);
    if (seen.indexOf(data.ideaId) === -1) seen.push(data.ideaId);
    elementsFor('data-live-new-ideas', data.challengeId).forEach(function (box) {
      showNotice(box, counted('newIdeas', seen.length), text('reload'));
    });
  }

  var newComments = {};
  function showNewComment(data) {
    if (!data || !ID.test(data.ideaId) || typeof data.commentId !== 'string') return;
    if (document.getElementById('comment-' + data.commentId)) return;
    var seen = (newComments[data.ideaId] = newComments[data.ideaId] || []);
    if (seen.indexOf(data.commentId) === -1) seen.push(data.commentId);
    elementsFor('data-live-new-comments', data.ideaId).forEach(function (box) {
      showNotice(box, counted('newComments', seen.length), text('reload'));
    });
  }

  function showPhase(data) {
    if (!data || typeof data.challengeId !== 'string') return;
    elementsFor('data-live-phase', data.challengeId).forEach(function (box) {
      showNotice(box, text('phaseMoved').replace('{label}', String(data.label)), text('reloadToSee'));
    });
  }

  function showQueueChange(data) {
    if (!data || !ID.test(data.challengeId) || !ID.test(data.ideaId)) return;
    var here = document.querySelector('[data-screening-idea]');
    var onThisIdea = here && here.getAttribute('data-screening-idea') === data.ideaId;
    elementsFor('data-live-queue', data.challengeId).forEach(function (box) {
      var who = data.byName ? String(data.byName) : text('someone');
      showNotice(box, onThisIdea ? text('decidedHere').replace('{name}', who) : text('queueChanged'), text('reloadQueue'));
    });
  }

  function start() {
    if (typeof window.io !== 'function') return;
    var socket = window.io();
    // Also after every reconnection: a new connection starts in no room.
    socket.on('connect', function () {
      rooms.forEach(function (room) {
        socket.emit('join', room);
      });
    });
    socket.on('idea:votes', showVotes);
    socket.on('inbox:count', showUnread);
    socket.on('idea:new', showNewIdea);
    socket.on('comment:new', showNewComment);
    socket.on('challenge:phase', showPhase);
    socket.on('queue:changed', showQueueChange);
  }

  // The client library (served by the app's socket.io server) is loaded only by pages that use it.
  if (typeof window.io === 'function') {
    start();
  } else {
    var script = document.createElement('script');
    script.src = '/socket.io/socket.io.min.js';
    script.onload = start;
    document.head.appendChild(script);
  }
})();
