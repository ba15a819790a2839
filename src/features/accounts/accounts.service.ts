import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, isDuplicateKeyError } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { isLocale, message, translate, type Locale, type Text } from '../../i18n/i18n.ts';
import { localizedMail } from '../../i18n/mail.ts';
import { AccountToken, type TokenPurpose } from './account-token.model.ts';
import type { ProfileInput, SignUpInput } from './accounts.schemas.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { toActor } from './actor-of-user.ts';
import { createAvatars } from './avatar.ts';
import { User } from './user.model.ts';

export type AccountsDeps = {
  mailer: Mailer;
  events: EventBus;
  publicUrl: string;
  passwordHashCost: number;
  /** The language of emails to people who chose none. */
  defaultLocale?: Locale;
  /** Ends every stored session of a user (password reset, suspension). */
  endSessionsOf: (userId: string, keep?: string) => Promise<void>;
  now?: () => Date;
};

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  'verify-email': 48 * 60 * 60 * 1000,
  'reset-password': 60 * 60 * 1000,
  'link-identity': 60 * 60 * 1000,
};

export class SignInRefused extends Error {
  /** What the person is shown: a catalogue message, or (until moved there) an English sentence. */
  readonly text: Text;
  readonly reason: 'bad-credentials' | 'unverified' | 'suspended';
  constructor(reason: 'bad-credentials' | 'unverified' | 'suspended', text: Text) {
    super(translate('en', text));
    this.reason = reason;
    this.text = text;
  }
}

/** The refusal of a suspended account's sign-in: with the reason the administrator gave (the suspend form says the user is told it). */
export function suspendedRefusal(user: { suspendedReason?: string | null }): SignInRefused {
  const reason = user.suspendedReason?.trim();
  return new SignInRefused('suspended', reason ? message('accounts.problems.suspendedFor', { reason }) : message('accounts.problems.suspended'));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAccounts(deps: AccountsDeps) {
  const now = deps.now ?? (() => new Date());
  const localeOf = (user: { locale?: string | null } | null | undefined): Locale => (isLocale(user?.locale) ? user.locale : (deps.defaultLocale ?? 'en'));
  // Compared against when the email is unknown, so a miss costs as long as a wrong password.
  const decoyHash = hashPassword(randomBytes(16).toString('hex'), deps.passwordHashCost);

  async function issueToken(userId: mongoose.Types.ObjectId, purpose: TokenPurpose, email: string, identity?: { provider: string; subject: string }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await AccountToken.create({
      _id: hashToken(token),
      userId,
      purpose,
      email,
      identity: identity ?? null,
      expiresAt: new Date(now().getTime() + TOKEN_LIFETIME_MS[purpose]),
    });
    return token;
  }

  /** Marks a token used, once: a second use or an expired token is refused with a clear message. */
  async function consumeToken(token: string, purpose: TokenPurpose) {
    const id = hashToken(token);
    const claimed = await AccountToken.findOneAndUpdate({ _id: id, purpose, usedAt: null }, { $set: { usedAt: now() } }, { returnDocument: 'before' }).lean();
    if (!claimed) {
      const existing = await AccountToken.findById(id).lean();
      if (existing?.usedAt) throw new Invalid({ token: message('accountLinks.problem.used') }, message('accountLinks.problem.usedShort'));
      throw new Invalid({ token: message('accountLinks.problem.invalid') }, message('accountLinks.problem.invalidShort'));
    }
    if (claimed.expiresAt.getTime() < now().getTime()) {
      throw new Invalid({ token: message('accountLinks.problem.expired') }, message('accountLinks.problem.expiredShort'));
    }
    return claimed;
  }

  async function sendVerification(userId: mongoose.Types.ObjectId, email: string, name: string, locale: Locale) {
    const token = await issueToken(userId, 'verify-email', email);
    await deps.mailer.send({ to: email, ...localizedMail(locale, 'verify', name, { link: `${deps.publicUrl}/verify-email?token=${token}` }) });
  }

  function checkNewPassword(password: string, context: string[]) {
    const problem = passwordProblem(password, context);
    if (problem) throw new Invalid({ password: problem });
  }

  return {
    /**
     * Creates an account and sends a confirmation link. An address that is already registered
     * gets a notice instead, and the caller sees the same outcome either way (no enumeration).
     */
    async registerUser(input: SignUpInput, locale?: Locale): Promise<void> {
      checkNewPassword(input.password, [input.name, input.email]);
      // Hashed whether or not the address has an account: the hash is most of the work, and an
      // answer that came faster for a known address would tell who has one.
      const passwordHash = await hashPassword(input.password, deps.passwordHashCost);
      const existing = await User.findOne({ email: input.email }).lean();
      if (existing) {
        await deps.mailer.send({
          to: input.email,
          ...localizedMail(localeOf(existing), 'signUpTaken', existing.name, { signIn: `${deps.publicUrl}/sign-in`, reset: `${deps.publicUrl}/forgot-password` }),
        });
        return;
      }
      const { name, email, password: _hashedAbove, ...profile } = input;
      let user;
      try {
        // The language the browser asked for at sign-up becomes the person's setting (changeable on the account page).
        user = await User.create({ name, email, passwordHash, profile, locale: locale ?? '' });
      } catch (error) {
        // A parallel sign-up with the same address won the race: same neutral outcome.
        if (isDuplicateKeyError(error)) return;
        throw error;
      }
      await sendVerification(user._id, user.email, user.name, localeOf(user));
      deps.events.emit('user.registered', { userId: String(user._id), email: user.email });
    },

    async verifyEmail(token: string): Promise<void> {
      const claimed = await consumeToken(token, 'verify-email');
      const user = await User.findById(claimed.userId);
      if (!user) throw new Invalid({ token: message('accountLinks.problem.accountGone') }, message('accountLinks.problem.accountGone'));
      const previousEmail = user.email;
      user.email = claimed.email;
      user.emailVerifiedAt = now();
      try {
        await user.save();
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw new Invalid({ token: message('accountLinks.problem.addressTaken') }, message('accountLinks.problem.addressTaken'));
        }
        throw error;
      }
      deps.events.emit('user.email_verified', { userId: String(user._id) });
      if (previousEmail !== claimed.email) deps.events.emit('user.email_changed', { userId: String(user._id), email: claimed.email });
    },

    /** Checks a sign-in. Every wrong email or password gets the same message and takes as long. */
    async authenticate(email: string, password: string): Promise<Actor> {
      const user = await User.findOne({ email: email.trim().toLowerCase() }).lean();
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
      if (!user || !matches) throw new SignInRefused('bad-credentials', 'That email and password do not match an account.');
      if (user.suspendedAt) throw suspendedRefusal(user);
      if (!user.emailVerifiedAt) {
        await sendVerification(user._id, user.email, user.name, localeOf(user));
        throw new SignInRefused('unverified', 'Please confirm your email address first: we have sent you a new link.');
      }
      deps.events.emit('user.signed_in', { userId: String(user._id) });
      return toActor(user);
    },

    /** Sends a reset link if the address has an account; the caller always says the same thing. */
    async requestPasswordReset(email: string): Promise<void> {
      const user = await User.findOne({ email }).lean();
      if (!user || user.suspendedAt) return;
      const token = await issueToken(user._id, 'reset-password', user.email);
      await deps.mailer.send({ to: user.email, ...localizedMail(localeOf(user), 'reset', user.name, { link: `${deps.publicUrl}/reset-password?token=${token}` }) });
    },

    async resetPassword(token: string, password: string): Promise<void> {
      const tokenDoc = await AccountToken.findById(hashToken(token)).lean();
      const user = tokenDoc ? await User.findById(tokenDoc.userId).lean() : null;
      // Check the new password before using up the link, so a weak choice can be corrected.
      checkNewPassword(password, user ? [user.name, user.email] : []);
      const claimed = await consumeToken(token, 'reset-password');
      const passwordHash = await hashPassword(password, deps.passwordHashCost);
      await User.updateOne({ _id: claimed.userId }, { $set: { passwordHash } });
      await deps.endSessionsOf(String(claimed.userId));
      deps.events.emit('user.password_changed', { userId: String(claimed.userId) });
    },

    /** Changes the password and signs the user out of every other session (`currentSession` stays). */
    async changePassword(actor: Actor, currentPassword: string, password: string, currentSession?: string): Promise<void> {
      const user = await User.findById(actor.id).lean();
      if (!user) throw new Forbidden();
      if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new Invalid({ currentPassword: message('accounts.problems.wrongCurrentPassword') });
      checkNewPassword(password, [user.name, user.email]);
      await User.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password, deps.passwordHashCost) } });
      await deps.endSessionsOf(actor.id, currentSession);
      deps.events.emit('user.password_changed', { userId: actor.id });
    },

    /** The address changes only once the new mailbox confirms it; the old address is told. */
    async requestEmailChange(actor: Actor, currentPassword: string, email: string): Promise<void> {
      const user = await User.findById(actor.id).lean();
      if (!user) throw new Forbidden();
      if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new Invalid({ currentPassword: message('accounts.problems.wrongCurrentPassword') });
      if (email === user.email) throw new Invalid({ email: message('accounts.problems.sameEmail') });
      await sendVerification(user._id, email, user.name, localeOf(user));
      await deps.mailer.send({ to: user.email, ...localizedMail(localeOf(user), 'emailChanging', user.name, { email, reset: `${deps.publicUrl}/forgot-password` }) });
    },

    /** Proof by mailbox that a provider account belongs to this user: the link joins them. */
    async sendIdentityLink(user: { id: string; email: string; name: string; locale?: string | null }, identity: { provider: string; subject: string }, providerName: string): Promise<void> {
      const token = await issueToken(new mongoose.Types.ObjectId(user.id), 'link-identity', user.email, identity);
      await deps.mailer.send({
        to: user.email,
        ...localizedMail(localeOf(user), 'identityLink', user.name, { provider: providerName, link: `${deps.publicUrl}/sign-in/link/confirm?token=${token}` }),
      });
    },

    /** Uses an emailed identity link once; returns whose account and which provider account it joins. */
    async consumeIdentityLink(token: string): Promise<{ userId: string; provider: string; subject: string }> {
      const claimed = await consumeToken(token, 'link-identity');
      if (!claimed.identity?.provider || !claimed.identity.subject) throw new Invalid({ token: message('accountLinks.problem.invalidShort') }, message('accountLinks.problem.invalidShort'));
      return { userId: String(claimed.userId), provider: claimed.identity.provider, subject: claimed.identity.subject };
    },

    async getProfile(actor: Actor) {
      const user = await User.findById(actor.id).lean();
      if (!user) throw new Forbidden();
      return { name: user.name, email: user.email, timezone: user.timezone, locale: user.locale ?? '', profile: user.profile ?? {}, avatarFileId: user.avatarFileId ?? null };
    },

    /** The optional profile photo: upload, removal and serving. */
    avatars: createAvatars({ events: deps.events }),

    async updateProfile(actor: Actor, input: { name: string; timezone: string; locale: string } & ProfileInput): Promise<void> {
      const { name, timezone, locale, ...profile } = input;
      await User.updateOne({ _id: actor.id }, { $set: { name, timezone, locale, profile } });
      deps.events.emit('user.profile_changed', { userId: actor.id });
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
