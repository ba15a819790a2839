import { defineArea } from './area.ts';

/** An idea's other pages and notices: a hidden idea, its changes, the notes on hidden content, saving and voting, the form's scripts. */
export const ideaPages = defineArea({
  en: {
    hidden: {
      title: 'Hidden idea',
      // What the crowd reads instead of hidden content, and the note its authors and the team read.
      idea: {
        removed: 'This idea was removed by the copilots: {{reason}}',
        review: 'This idea is hidden while the copilots review it.',
      },
      comment: {
        removed: 'This comment was removed by the copilots: {{reason}}',
        review: 'This comment is hidden while the copilots review it.',
      },
      removedNote: 'Removed by the copilots: {{reason}}. Only its authors and the challenge team see it.',
      copilotNote: 'Hidden from the crowd by the copilots: {{reason}}',
      reportsNote: 'Hidden from the crowd while the copilots review reports about it.',
    },
    revisions: {
      title: 'Changes to “{{title}}”',
      edit: 'Edit {{number}} by {{name}},',
      otherFields: 'Only fields other than the text changed.',
      none: 'This idea has not been edited since it was submitted.',
      field: { title: 'Title', summary: 'Summary', body: 'Description', tags: 'Tags' },
    },
    notice: {
      submitted: 'Your idea is submitted. We will tell you as it moves forward.',
      saved: 'Changes saved.',
      unchanged: 'Nothing was changed, so nothing was saved.',
      draftSaved: 'Draft saved. Only you can see it until you submit it.',
      coAuthor: 'You are now a co-author of this idea.',
      declinedInvitation: 'You declined the invitation.',
    },
    vote: {
      counted: 'Your vote for “{{title}}” is counted: {{votes}}.',
      withdrawn: 'Your vote for “{{title}}” is withdrawn: {{votes}}.',
    },
    autosave: {
      saved: 'Draft saved at {{time}}',
      failed: 'Not saved automatically: {{reason}}',
      notSaved: 'Not saved',
    },
  },
  de: {
    hidden: {
      title: 'Verborgene Idee',
      idea: {
        removed: 'Diese Idee wurde von den Copilots entfernt: {{reason}}',
        review: 'Diese Idee ist verborgen, während die Copilots sie prüfen.',
      },
      comment: {
        removed: 'Dieser Kommentar wurde von den Copilots entfernt: {{reason}}',
        review: 'Dieser Kommentar ist verborgen, während die Copilots ihn prüfen.',
      },
      removedNote: 'Von den Copilots entfernt: {{reason}}. Nur die Autor:innen und das Team der Challenge sehen sie.',
      copilotNote: 'Von den Copilots vor der Crowd verborgen: {{reason}}',
      reportsNote: 'Vor der Crowd verborgen, während die Copilots Meldungen dazu prüfen.',
    },
    revisions: {
      title: 'Änderungen an „{{title}}“',
      edit: 'Bearbeitung {{number}} von {{name}},',
      otherFields: 'Nur andere Felder als der Text wurden geändert.',
      none: 'Diese Idee wurde seit dem Einreichen nicht bearbeitet.',
      field: { title: 'Titel', summary: 'Zusammenfassung', body: 'Beschreibung', tags: 'Schlagwörter' },
    },
    notice: {
      submitted: 'Ihre Idee ist eingereicht. Wir sagen Ihnen Bescheid, wenn es weitergeht.',
      saved: 'Änderungen gespeichert.',
      unchanged: 'Es wurde nichts geändert, also nichts gespeichert.',
      draftSaved: 'Entwurf gespeichert. Nur Sie sehen ihn, bis Sie ihn einreichen.',
      coAuthor: 'Sie sind jetzt Co-Autor:in dieser Idee.',
      declinedInvitation: 'Sie haben die Einladung abgelehnt.',
    },
    vote: {
      counted: 'Ihre Stimme für „{{title}}“ ist gezählt: {{votes}}.',
      withdrawn: 'Ihre Stimme für „{{title}}“ ist zurückgezogen: {{votes}}.',
    },
    autosave: {
      saved: 'Entwurf gespeichert um {{time}}',
      failed: 'Nicht automatisch gespeichert: {{reason}}',
      notSaved: 'Nicht gespeichert',
    },
  },
});
