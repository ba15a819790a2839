import { defineArea } from './area.ts';

/** The challenges list. */
export const challenges = defineArea({
  en: {
    list: {
      title: 'Challenges',
      newChallenge: 'New challenge',
      filter: 'Filter challenges',
      phase: 'Phase',
      anyPhase: 'Any phase',
      audience: 'Audience',
      anyone: 'Anyone',
      onlyMine: 'Only mine',
      submit: 'Filter',
      sealed: 'sealed submissions',
      ideas_one: '{{count}} idea',
      ideas_other: '{{count}} ideas',
      nextPhase: 'Next phase',
      noneMatch: 'No challenges match yet.',
      noneMatchFilters: 'No challenges match these filters yet.',
      clearFilters: 'Show all challenges',
      createFirst: 'Create the first challenge',
    },
    audience: {
      public: 'Public',
      members: 'Members',
      specialists: 'Specialists',
      'invite-only': 'Invite only',
    },
  },
  de: {
    list: {
      title: 'Challenges',
      newChallenge: 'Neue Challenge',
      filter: 'Challenges filtern',
      phase: 'Phase',
      anyPhase: 'Jede Phase',
      audience: 'Zielgruppe',
      anyone: 'Alle',
      onlyMine: 'Nur meine',
      submit: 'Filtern',
      sealed: 'verdeckte Einreichungen',
      ideas_one: '{{count}} Idee',
      ideas_other: '{{count}} Ideen',
      nextPhase: 'Nächste Phase',
      noneMatch: 'Noch keine passenden Challenges.',
      noneMatchFilters: 'Noch keine Challenges für diese Filter.',
      clearFilters: 'Alle Challenges zeigen',
      createFirst: 'Die erste Challenge anlegen',
    },
    audience: {
      public: 'Öffentlich',
      members: 'Mitglieder',
      specialists: 'Fachleute',
      'invite-only': 'Nur auf Einladung',
    },
  },
});
