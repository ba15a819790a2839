import { defineArea } from './area.ts';

/** Names of states shown on many pages and in notifications: phases, reasons, item statuses. */
export const common = defineArea({
  en: {
    // In place of a name: a deleted account (as the account pages promise), an id that names no one now.
    deletedUser: 'Deleted user',
    formerMember: 'a former member',
    // The same, starting a sentence.
    formerMemberFirst: 'A former member',
    // In place of an idea's title where the idea is gone.
    removedIdea: 'a removed idea',
    emails: {
      notAnAddress: '“{{address}}” is not an email address.',
      tooMany: 'Give at most {{max}} addresses.',
    },
    phase: {
      draft: 'Draft',
      open: 'Open for ideas',
      curation: 'Curation',
      judging: 'Judging',
      appeals: 'Appeals',
      decided: 'Winners announced',
      closed: 'Closed',
    },
    rejectReason: {
      'off-topic': 'Outside what this challenge asks for',
      duplicate: 'Duplicates an earlier idea',
      'not-feasible': 'Not feasible for us',
      'too-vague': 'Too vague to act on',
      'exists-already': 'We already do this',
      'against-terms': 'Against the challenge’s terms',
      other: 'Another reason (see the message)',
    },
    // Lower case: they end a sentence ("… is now planned").
    itemStatus: {
      proposed: 'proposed',
      accepted: 'accepted',
      planned: 'planned',
      'in-progress': 'in progress',
      shipped: 'shipped',
      declined: 'declined',
    },
    // Capitalised: they stand alone (a badge, "… — Planned").
    itemStatusLabel: {
      proposed: 'Proposed',
      accepted: 'Accepted',
      planned: 'Planned',
      'in-progress': 'In progress',
      shipped: 'Shipped',
      declined: 'Declined',
    },
  },
  de: {
    deletedUser: 'Gelöschte Person',
    formerMember: 'ein ehemaliges Mitglied',
    formerMemberFirst: 'Ein ehemaliges Mitglied',
    removedIdea: 'eine entfernte Idee',
    emails: {
      notAnAddress: '„{{address}}“ ist keine E-Mail-Adresse.',
      tooMany: 'Geben Sie höchstens {{max}} Adressen an.',
    },
    phase: {
      draft: 'Entwurf',
      open: 'Offen für Ideen',
      curation: 'Kuratierung',
      judging: 'Jurybewertung',
      appeals: 'Einsprüche',
      decided: 'Gewinner verkündet',
      closed: 'Abgeschlossen',
    },
    rejectReason: {
      'off-topic': 'Passt nicht zu dem, was diese Challenge sucht',
      duplicate: 'Doppelt zu einer früheren Idee',
      'not-feasible': 'Für uns nicht umsetzbar',
      'too-vague': 'Zu vage, um daraus etwas zu machen',
      'exists-already': 'Das machen wir bereits',
      'against-terms': 'Verstößt gegen die Bedingungen der Challenge',
      other: 'Ein anderer Grund (siehe Nachricht)',
    },
    itemStatus: {
      proposed: 'vorgeschlagen',
      accepted: 'angenommen',
      planned: 'geplant',
      'in-progress': 'in Arbeit',
      shipped: 'ausgeliefert',
      declined: 'abgelehnt',
    },
    itemStatusLabel: {
      proposed: 'Vorgeschlagen',
      accepted: 'Angenommen',
      planned: 'Geplant',
      'in-progress': 'In Arbeit',
      shipped: 'Ausgeliefert',
      declined: 'Abgelehnt',
    },
  },
});
