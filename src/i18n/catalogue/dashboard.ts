import { defineArea } from './area.ts';

/** A signed-in person's home page: the parts every member sees (the staff panels are still English). */
export const dashboard = defineArea({
  en: {
    title: 'Your home',
    hello: 'Hello, {{name}}',
    today: 'What needs you today.',
    browse: 'Browse challenges',
    yourIdeas: 'Your ideas',
    allIdeas: 'All your ideas',
    ideasInFull: 'Your ideas in full',
    noIdeas: 'You have not shared an idea yet. Pick an open challenge below.',
    news: 'News for you',
    allNews: 'All notifications',
    open: 'Open for your ideas',
    noneOpen: 'No challenge is open to you right now.',
  },
  de: {
    title: 'Ihre Startseite',
    hello: 'Hallo, {{name}}',
    today: 'Was heute auf Sie wartet.',
    browse: 'Challenges ansehen',
    yourIdeas: 'Ihre Ideen',
    allIdeas: 'Alle Ihre Ideen',
    ideasInFull: 'Ihre Ideen im Detail',
    noIdeas: 'Sie haben noch keine Idee geteilt. Wählen Sie unten eine offene Challenge.',
    news: 'Neues für Sie',
    allNews: 'Alle Benachrichtigungen',
    open: 'Offen für Ihre Ideen',
    noneOpen: 'Gerade ist keine Challenge für Sie offen.',
  },
});
