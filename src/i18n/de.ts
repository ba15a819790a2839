import type { Catalogue } from './en.ts';

/** Deutsch. */
export const de: Catalogue = {
  email: {
    greeting: 'Hallo {{name}},',
    verify: {
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse für Cocreate',
      body: 'Bestätigen Sie Ihre E-Mail-Adresse, indem Sie diesen Link öffnen:\n\n{{link}}\n\nDer Link funktioniert einmal und läuft in 48 Stunden ab. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.',
    },
    signUpTaken: {
      subject: 'Jemand wollte sich mit Ihrer Adresse bei Cocreate registrieren',
      body: 'Jemand wollte mit dieser E-Mail-Adresse ein Cocreate-Konto anlegen; es gibt bereits eines. Wenn Sie das waren, melden Sie sich unter {{signIn}} an oder setzen Sie Ihr Passwort unter {{reset}} zurück.\n\nWenn Sie es nicht waren, können Sie diese Nachricht ignorieren.',
    },
    reset: {
      subject: 'Ihr Cocreate-Passwort zurücksetzen',
      body: 'Wählen Sie ein neues Passwort, indem Sie diesen Link öffnen:\n\n{{link}}\n\nDer Link funktioniert einmal und läuft in 1 Stunde ab. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.',
    },
    emailChanging: {
      subject: 'Ihre E-Mail-Adresse bei Cocreate ändert sich',
      body: 'Jemand, der in Ihrem Konto angemeldet ist, möchte dessen E-Mail-Adresse in {{email}} ändern. Sie ändert sich, sobald diese Adresse bestätigt ist. Wenn Sie das nicht waren, setzen Sie Ihr Passwort unter {{reset}} zurück.',
    },
    identityLink: {
      subject: 'Ihre Anmeldung über {{provider}} mit Cocreate verknüpfen',
      body: 'Jemand hat sich mit dieser E-Mail-Adresse über {{provider}} angemeldet. Damit diese Anmeldung Ihr Cocreate-Konto öffnet, öffnen Sie diesen Link:\n\n{{link}}\n\nDer Link funktioniert einmal und läuft in 1 Stunde ab. Wenn Sie das nicht waren, ignorieren Sie diese Nachricht: Es ändert sich nichts.',
    },
    coAuthorInvite: {
      subject: '{{by}} lädt Sie ein, eine Idee mitzuverfassen',
      body: '{{by}} lädt Sie ein, „{{title}}“ auf Cocreate mitzuverfassen. Hier nehmen Sie an oder lehnen ab:\n\n{{link}}\n\nSie erscheinen erst als Autor oder Autorin, wenn Sie annehmen.',
    },
    digest: {
      subject_one: 'Ihre Cocreate-Zusammenfassung: {{count}} Neuigkeit',
      subject_other: 'Ihre Cocreate-Zusammenfassung: {{count}} Neuigkeiten',
      intro: 'Das ist seit Ihrer letzten Zusammenfassung geschehen:',
    },
    footer: {
      choose: 'Wählen Sie, was Cocreate Ihnen schickt: {{link}}',
      stop: 'Keine E-Mails mehr: {{link}}',
    },
  },
};
