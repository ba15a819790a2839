/**
 * The English catalogue: every sentence the server sends outside templates (emails so far; see
 * README "Languages" for what is still to move here). Keys name the message; `{{x}}` are values.
 */
export const en = {
  email: {
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
};

/** The shape every other language's catalogue must have (the type checker finds a missing key). */
export type Catalogue = typeof en;
