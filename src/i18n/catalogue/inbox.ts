import { defineArea } from './area.ts';

/** The notifications inbox. */
export const inbox = defineArea({
  en: {
    notFound: 'No such notification.',
    title: 'Notifications',
    markAllRead: 'Mark all read',
    allMarkedRead: 'All notifications are marked read.',
    unread: 'Unread:',
    older: 'Older notifications',
    empty: 'Nothing yet. You will hear here when your ideas and the challenges you follow move on.',
  },
  de: {
    notFound: 'Diese Benachrichtigung gibt es nicht.',
    title: 'Benachrichtigungen',
    markAllRead: 'Alle als gelesen markieren',
    allMarkedRead: 'Alle Benachrichtigungen sind als gelesen markiert.',
    unread: 'Ungelesen:',
    older: 'Ältere Benachrichtigungen',
    empty: 'Noch nichts. Hier erfahren Sie, wenn es mit Ihren Ideen und den Challenges, denen Sie folgen, weitergeht.',
  },
});
