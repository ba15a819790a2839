import { defineArea } from './area.ts';

/**
 * The notes Cocreate writes in an idea's status history, stored as a key with values (and the
 * English sentence) and put into the reader's language on the idea's page. `{{reason}}` and
 * `{{status}}` may be messages themselves.
 */
export const ideaHistory = defineArea({
  en: {
    resubmitted: 'Resubmitted after changes',
    reasonAndMessage: '{{reason}} — {{message}}',
    mergedInto: 'Merged into “{{title}}”',
    unmerged: 'Unmerged from “{{title}}”: it stands on its own again',
    shortlisted: 'Added to the shortlist',
    droppedFromShortlist: 'Taken off the shortlist',
    shortlistFinal: 'The shortlist for judging is final, and this idea is not on it.',
    shortlistOpen: 'The challenge is back in curation: the shortlist is open again.',
    won: 'Won {{tier}}',
    noLongerWinner: 'No longer a winner: {{reason}}',
    notAwarded: 'Not among the winners: the judges’ feedback is on the challenge’s results',
    inBacklog: 'In the {{backlog}} backlog',
    followsItem: '{{status}} in the {{backlog}} backlog',
    followsItemNote: '{{status}} in the {{backlog}} backlog: {{note}}',
    by: { copilots: 'the copilots', judges: 'the judges' },
  },
  de: {
    resubmitted: 'Nach Änderungen erneut eingereicht',
    reasonAndMessage: '{{reason}} — {{message}}',
    mergedInto: 'Zusammengeführt mit „{{title}}“',
    unmerged: 'Von „{{title}}“ getrennt: Die Idee steht wieder für sich',
    shortlisted: 'Auf die Shortlist gesetzt',
    droppedFromShortlist: 'Von der Shortlist genommen',
    shortlistFinal: 'Die Shortlist für die Jury steht fest, und diese Idee ist nicht darauf.',
    shortlistOpen: 'Die Challenge ist zurück in der Kuratierung: Die Shortlist ist wieder offen.',
    won: 'Gewonnen: {{tier}}',
    noLongerWinner: 'Nicht mehr unter den Gewinnern: {{reason}}',
    notAwarded: 'Nicht unter den Gewinnern: Das Feedback der Jury steht bei den Ergebnissen der Challenge',
    inBacklog: 'Im Backlog „{{backlog}}“',
    followsItem: '{{status}} im Backlog „{{backlog}}“',
    followsItemNote: '{{status}} im Backlog „{{backlog}}“: {{note}}',
    by: { copilots: 'die Copilots', judges: 'die Jury' },
  },
});
