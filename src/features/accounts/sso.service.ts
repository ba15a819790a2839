import mongoose from 'mongoose';
import { ROLES, type Actor, type Role } from '../../shared/actor.ts';
import { Conflict, isDuplicateKeyError } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import type { OidcProviderConfig } from '../../sso-config.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { SignInRefused, suspendedRefusal, type Accounts } from './accounts.service.ts';
import { toActor } from './actor-of-user.ts';
import { ExternalIdentity, identityKey } from './external-identity.model.ts';
import { User } from './user.model.ts';
import { message } from '../../i18n/i18n.ts';

/** What the provider vouched for (ID token and userinfo claims). */
export type VerifiedClaims = { sub: string; email?: unknown; email_verified?: unknown; name?: unknown; [claim: string]: unknown };

/** A provider sign-in whose address already has an account: kept in the session until the person proves it is theirs. */
export type PendingLink = { provider: string; subject: string; email: string; name: string; groups: string[] };

export type SsoOutcome = { kind: 'signed-in'; actor: Actor } | { kind: 'link-needed'; pending: PendingLink };

/** The roles the groups claim grants, for the roles this provider manages. */
export function rolesFromGroups(provider: Pick<OidcProviderConfig, 'roleGroups'>, groups: string[], current: string[]): Role[] {
  const managed = Object.keys(provider.roleGroups) as Role[];
  const granted = managed.filter((role) => provider.roleGroups[role]?.some((group) => groups.includes(group)));
  return ROLES.filter((role) => role === 'member' || granted.includes(role) || (!managed.includes(role) && current.includes(role)));
}

function groupsOf(claims: VerifiedClaims, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

export function createSso(deps: { accounts: Accounts; events: EventBus; providers: OidcProviderConfig[] }) {
  const providerById = new Map(deps.providers.map((provider) => [provider.id, provider]));

  function providerOf(id: string): OidcProviderConfig {
    const provider = providerById.get(id);
    if (!provider) throw new Conflict(message('accountLinks.sso.notConfigured'));
    return provider;
  }

  /** Applies the provider's role mapping at each sign-in, so a group removed there takes the role away here. */
  async function syncRoles(provider: OidcProviderConfig, userId: string, groups: string[]): Promise<void> {
    const user = await User.findById(userId).lean();
    if (!user) return;
    const before = ROLES.filter((role) => user.roles.includes(role));
    const after = rolesFromGroups(provider, groups, before);
    if (before.join() === after.join()) return;
    await User.updateOne({ _id: user._id }, { $set: { roles: after } });
    await recordAudit(null, { action: 'user.roles_changed', targetType: 'user', targetId: userId, targetLabel: user.email, before, after, byName: `${provider.displayName} groups` });
    deps.events.emit('user.roles_changed', { userId, roles: after });
  }

  async function activeActor(userId: string): Promise<Actor> {
    const user = await User.findById(userId).lean();
    if (!user) throw new SignInRefused('bad-credentials', message('accountLinks.problem.accountGone'));
    if (user.suspendedAt) throw suspendedRefusal(user);
    return toActor(user);
  }

  async function link(provider: string, subject: string, userId: string): Promise<void> {
    try {
      await ExternalIdentity.create({ _id: identityKey(provider, subject), provider, subject, userId: new mongoose.Types.ObjectId(userId) });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await ExternalIdentity.findById(identityKey(provider, subject)).lean();
      if (String(existing?.userId) !== userId) throw new Conflict(message('accountLinks.sso.linkedElsewhere'));
    }
  }

  return {
    /**
     * A verified provider sign-in: the linked account, else a new account from the claims, else
     * (the address belongs to an account not linked yet) a pending link the person must prove.
     */
    async signInWithIdentity(providerId: string, claims: VerifiedClaims): Promise<SsoOutcome> {
      const provider = providerOf(providerId);
      const groups = groupsOf(claims, provider.groupsClaim);
      const linked = await ExternalIdentity.findById(identityKey(provider.id, claims.sub)).lean();
      if (linked) {
        await syncRoles(provider, String(linked.userId), groups);
        const actor = await activeActor(String(linked.userId));
        deps.events.emit('user.signed_in', { userId: actor.id });
        return { kind: 'signed-in', actor };
      }
      // An unverified address proves nothing: it could name someone else's account.
      if (typeof claims.email !== 'string' || !claims.email || claims.email_verified !== true) {
        throw new SignInRefused('unverified', message('accountLinks.sso.unverified', { provider: provider.displayName }));
      }
      const email = claims.email.trim().toLowerCase();
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : email.split('@')[0]!;
      const pending: PendingLink = { provider: provider.id, subject: claims.sub, email, name, groups };
      if (await User.exists({ email })) return { kind: 'link-needed', pending };
      let user;
      try {
        user = await User.create({ email, name, roles: rolesFromGroups(provider, groups, ['member']), emailVerifiedAt: new Date() });
      } catch (error) {
        // Someone registered the address meanwhile: theirs until proven otherwise.
        if (isDuplicateKeyError(error)) return { kind: 'link-needed', pending };
        throw error;
      }
      await link(provider.id, claims.sub, String(user._id));
      deps.events.emit('user.registered', { userId: String(user._id), email });
      deps.events.emit('user.signed_in', { userId: String(user._id) });
      return { kind: 'signed-in', actor: toActor(user) };
    },

    /** Proof by password: the account's own password joins the provider account to it. */
    async linkWithPassword(pending: PendingLink, password: string): Promise<Actor> {
      const provider = providerOf(pending.provider);
      const actor = await deps.accounts.authenticate(pending.email, password);
      await link(provider.id, pending.subject, actor.id);
      await recordAudit(actor, { action: 'user.identity_linked', targetType: 'user', targetId: actor.id, targetLabel: actor.email, after: { provider: provider.id }, reason: 'password' });
      await syncRoles(provider, actor.id, pending.groups);
      return activeActor(actor.id);
    },

    /** Proof by mailbox: sends the account's address a link that joins the provider account. */
    async emailLink(pending: PendingLink): Promise<void> {
      const provider = providerOf(pending.provider);
      const user = await User.findOne({ email: pending.email }).lean();
      if (!user) return;
      await deps.accounts.sendIdentityLink(
        { id: String(user._id), email: user.email, name: user.name, locale: user.locale },
        { provider: provider.id, subject: pending.subject },
        provider.displayName,
      );
    },

    /** The emailed link was opened: the provider account now signs in to this user. Returns the provider's name. */
    async confirmEmailedLink(token: string): Promise<string> {
      const { userId, provider, subject } = await deps.accounts.consumeIdentityLink(token);
      const config = providerOf(provider);
      await link(provider, subject, userId);
      await recordAudit(null, { action: 'user.identity_linked', targetType: 'user', targetId: userId, after: { provider }, reason: 'email', byName: 'emailed link' });
      return config.displayName;
    },

    providers: () => deps.providers.map(({ id, displayName }) => ({ id, displayName })),
  };
}

export type Sso = ReturnType<typeof createSso>;
