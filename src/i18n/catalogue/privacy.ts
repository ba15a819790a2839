import { defineArea } from './area.ts';

/** "Download my data" and "Delete my account". */
export const privacy = defineArea({
  en: {
    data: {
      title: 'Download your data',
      intro:
        'One JSON file with everything Cocreate stores about you: your profile, your ideas with their earlier versions and the names of their attachments, your comments, votes, comparisons, what you follow, your notifications, the reports you made, your scorecards if you judge, and the audit entries about you.',
      gathering: 'Gathering your data: part {{done}} of {{total}}.',
      gatheringLabel: 'Gathering your data',
      progress: '{{done}} of {{total}}',
      download: 'Download your data',
      worksUntil: 'The link works until {{date}}.',
      failed: 'Gathering your data failed. Please try again.',
      again: 'Prepare it again',
      prepare: 'Prepare my data',
    },
    erase: {
      title: 'Delete your account',
      what: 'Your profile and your ways to sign in are erased, and you are signed out everywhere. What you contributed stays for the community, without your name: your ideas and comments show as “Deleted user”, and your votes and comparisons still count. This cannot be undone.',
      first: 'First, you may want to',
      downloadFirst: 'download your data',
      confirm: 'Type your email address, {{email}}, to confirm',
      submit: 'Delete my account',
      adminsCannot: 'Administrators cannot delete their own account: ask another administrator to take your admin role away first, or to delete your account on your request.',
    },
  },
  de: {
    data: {
      title: 'Ihre Daten herunterladen',
      intro:
        'Eine JSON-Datei mit allem, was Cocreate über Sie speichert: Ihr Profil, Ihre Ideen mit früheren Fassungen und den Namen ihrer Anhänge, Ihre Kommentare, Stimmen, Vergleiche, wem Sie folgen, Ihre Benachrichtigungen, Ihre Meldungen, Ihre Bewertungsbögen, falls Sie in einer Jury sind, und die Protokolleinträge über Sie.',
      gathering: 'Ihre Daten werden zusammengestellt: Teil {{done}} von {{total}}.',
      gatheringLabel: 'Ihre Daten werden zusammengestellt',
      progress: '{{done}} von {{total}}',
      download: 'Ihre Daten herunterladen',
      worksUntil: 'Der Link funktioniert bis {{date}}.',
      failed: 'Das Zusammenstellen Ihrer Daten ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
      again: 'Erneut zusammenstellen',
      prepare: 'Meine Daten zusammenstellen',
    },
    erase: {
      title: 'Ihr Konto löschen',
      what: 'Ihr Profil und Ihre Anmeldewege werden gelöscht, und Sie werden überall abgemeldet. Was Sie beigetragen haben, bleibt der Community erhalten, ohne Ihren Namen: Ihre Ideen und Kommentare erscheinen als „Gelöschte Person“, und Ihre Stimmen und Vergleiche zählen weiter. Das lässt sich nicht rückgängig machen.',
      first: 'Vielleicht möchten Sie vorher',
      downloadFirst: 'Ihre Daten herunterladen',
      confirm: 'Geben Sie zur Bestätigung Ihre E-Mail-Adresse ein: {{email}}',
      submit: 'Mein Konto löschen',
      adminsCannot:
        'Administrator:innen können ihr eigenes Konto nicht löschen: Bitten Sie eine andere Person mit Administrationsrechten, Ihnen zuerst die Rolle zu entziehen oder Ihr Konto auf Ihren Wunsch zu löschen.',
    },
  },
});
