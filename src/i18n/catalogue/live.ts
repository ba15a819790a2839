import { defineArea } from './area.ts';

/** What public/js/live.js writes into a page when something changes elsewhere (`#` is a count). */
export const live = defineArea({
  en: {
    newIdeas_one: '# new idea — ',
    newIdeas_other: '# new ideas — ',
    newComments_one: '# new comment — ',
    newComments_other: '# new comments — ',
    reload: 'reload',
    phaseMoved: 'This challenge has moved to “{{label}}”. ',
    reloadToSee: 'Reload to see what changed',
    decidedHere: '{{name}} just decided on this idea. ',
    someone: 'Someone',
    queueChanged: 'The queue changed. ',
    reloadQueue: 'Reload',
    unread: ' unread',
  },
  de: {
    newIdeas_one: '# neue Idee – ',
    newIdeas_other: '# neue Ideen – ',
    newComments_one: '# neuer Kommentar – ',
    newComments_other: '# neue Kommentare – ',
    reload: 'neu laden',
    phaseMoved: 'Diese Challenge ist jetzt in der Phase „{{label}}“. ',
    reloadToSee: 'Neu laden, um die Änderungen zu sehen',
    decidedHere: '{{name}} hat gerade über diese Idee entschieden. ',
    someone: 'Jemand',
    queueChanged: 'Die Warteschlange hat sich geändert. ',
    reloadQueue: 'Neu laden',
    unread: ' ungelesen',
  },
});
