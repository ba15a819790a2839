import { defineArea } from './area.ts';

/** Account emails, the digest and the footer of every email (plain text: not HTML-escaped). */
export const email = defineArea({
  en: {
    greeting: 'Hello {{name}},',
    verify: {
      subject: 'Confirm your email address for Cocreate',
      body: 'Confirm your email address by opening this link:\n\n{{link}}\n\nThe link works once and expires in 48 hours. If you did not ask for this, ignore this message.',
    },
    signUpTaken: {
      subject: 'Someone tried to sign up to Cocreate with your address',
      body: 'Someone tried to create a Cocreate account with this email address, which already has one. If it was you, sign in at {{signIn}}, or reset your password at {{reset}}.\n\nIf it was not you, you can ignore this message.',
    },
    reset: {
      subject: 'Reset your Cocreate password',
      body: 'Choose a new password by opening this link:\n\n{{link}}\n\nThe link works once and expires in 1 hour. If you did not ask for this, ignore this message: your password stays as it is.',
    },
    emailChanging: {
      subject: 'Your Cocreate email address is changing',
      body: 'Someone signed in to your account asked to change its email address to {{email}}. It changes once that address confirms. If this was not you, reset your password at {{reset}}.',
    },
    identityLink: {
      subject: 'Link your {{provider}} sign-in to Cocreate',
      body: 'Someone signed in with {{provider}} using this email address. To let that sign-in open your Cocreate account, open this link:\n\n{{link}}\n\nThe link works once and expires in 1 hour. If this was not you, ignore this message: nothing changes.',
    },
    coAuthorInvite: {
      subject: '{{by}} invited you to co-author an idea',
      body: '{{by}} invited you to co-author “{{title}}” on Cocreate. Accept or decline here:\n\n{{link}}\n\nYou appear as an author only once you accept.',
    },
    coAuthorSignUp: {
      subject: '{{by}} invited you to co-author an idea',
      body: '{{by}} invited you to co-author “{{title}}” on Cocreate. To accept or decline, create your account with this address:\n\n{{link}}\n\nThe invitation waits on the idea once you confirm the address. If you do not know {{by}}, ignore this message: no account is made for you.',
    },
    digest: {
      subject_one: 'Your Cocreate digest: {{count}} update',
      subject_other: 'Your Cocreate digest: {{count}} updates',
      intro: 'Here is what happened since your last digest:',
    },
    footer: {
      choose: 'Choose what Cocreate sends you: {{link}}',
      stop: 'Stop all emails: {{link}}',
    },
  },
  de: {
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
    coAuthorSignUp: {
      subject: '{{by}} lädt Sie ein, eine Idee mitzuverfassen',
      body: '{{by}} lädt Sie ein, „{{title}}“ auf Cocreate mitzuverfassen. Um anzunehmen oder abzulehnen, legen Sie mit dieser Adresse ein Konto an:\n\n{{link}}\n\nDie Einladung wartet auf der Idee, sobald Sie die Adresse bestätigt haben. Wenn Sie {{by}} nicht kennen, ignorieren Sie diese Nachricht: Für Sie wird kein Konto angelegt.',
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
});
