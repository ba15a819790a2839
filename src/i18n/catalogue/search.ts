import { defineArea } from './area.ts';

/** Search across challenges and ideas. */
export const search = defineArea({
  en: {
    title: 'Search',
    titleFor: 'Search: {{q}}',
    label: 'Search challenges and ideas',
    submit: 'Search',
    challenges: 'Challenges',
    ideas: 'Ideas',
    in: 'in',
    more: 'More ideas',
    none: 'No ideas match “{{q}}”. Try fewer or different words.',
  },
  de: {
    title: 'Suche',
    titleFor: 'Suche: {{q}}',
    label: 'Challenges und Ideen durchsuchen',
    submit: 'Suchen',
    challenges: 'Challenges',
    ideas: 'Ideen',
    in: 'in',
    more: 'Weitere Ideen',
    none: 'Keine Idee passt zu „{{q}}“. Versuchen Sie es mit weniger oder anderen Wörtern.',
  },
});
