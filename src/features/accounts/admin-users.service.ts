import { message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import { ROLES, type Actor, type Role } from '../../shared/actor.ts';
import { Conflict, Forbidden, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canChangeRoles, canSeeUserList, canSuspend, isManageableAccount } from './accounts.policy.ts';
import { User } from './user.model.ts';

export type UserRow = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  emailVerified: boolean;
  suspended: boolean;
  suspendedReason: string;
  createdAt: Date;
  /** When the account was deleted (an anonymous shell since), or null. */
  deletedAt: Date | null;
  profile: { organisation: string; segment: string; region: string; customerTier: string; skills: string[] };
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type StoredUser = {
  _id: unknown;
  name: string;
  email: string;
  roles: string[];
  emailVerifiedAt?: Date | null;
  suspendedAt?: Date | null;
  suspendedReason?: string | null;
  createdAt: Date;
  deletedAt?: Date | null;
  profile?: Partial<UserRow['profile']> | null;
};

function toRow(user: StoredUser): UserRow {
  return {
    id: String(user._id),
    name: user.name,
    email: user.email,
    roles: ROLES.filter((role) => user.roles.includes(role)),
    emailVerified: Boolean(user.emailVerifiedAt),
    suspended: Boolean(user.suspendedAt),
    suspendedReason: user.suspendedReason ?? '',
    createdAt: user.createdAt,
    deletedAt: user.deletedAt ?? null,
    profile: { organisation: '', segment: '', region: '', customerTier: '', skills: [], ...user.profile },
  };
}

export function createAdminUsers(deps: { events: EventBus; endSessionsOf: (userId: string) => Promise<void> }) {
  async function loadTarget(userId: string) {
    if (!mongoose.isValidObjectId(userId)) throw new NotFound(message('admin.user.noSuchUser'));
    const user = await User.findById(userId).lean();
    if (!user) throw new NotFound(message('admin.user.noSuchUser'));
    return user;
  }

  async function manageableTarget(userId: string) {
    const user = await loadTarget(userId);
    if (!isManageableAccount({ deleted: Boolean(user.deletedAt) })) throw new Conflict(message('admin.user.deletedUnchangeable'));
    return user;
  }

  return {
    /** Newest first, keyset-paginated; the search matches the start of a name or email. */
    async listUsers(actor: Actor, options: { q: string; after?: string; limit?: number }) {
      if (!canSeeUserList(actor)) throw new Forbidden();
      const limit = options.limit ?? 25;
      const filter: Record<string, unknown> = {};
      if (options.q) {
        const prefix = new RegExp(`(^|\\s)${escapeRegExp(options.q)}`, 'i');
        filter.$or = [{ name: prefix }, { email: prefix }];
      }
      if (options.after) filter._id = mongoose.trusted({ $lt: new mongoose.Types.ObjectId(options.after) });
      const rows = await User.find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean();
      const users = rows.slice(0, limit).map(toRow);
      return { users, nextAfter: rows.length > limit ? (users[users.length - 1]?.id ?? null) : null };
    },

    async getUser(actor: Actor, userId: string): Promise<UserRow> {
      if (!canSeeUserList(actor)) throw new Forbidden();
      return toRow(await loadTarget(userId));
    },

    async changeRoles(actor: Actor, userId: string, requested: Role[]): Promise<void> {
      const user = await manageableTarget(userId);
      const before = ROLES.filter((role) => user.roles.includes(role));
      const after = ROLES.filter((role) => role === 'member' || requested.includes(role));
      if (!canChangeRoles(actor, userId, before, after)) throw new Forbidden(message('admin.user.rolesRefused'));
      if (before.join() === after.join()) return;
      await User.updateOne({ _id: user._id }, { $set: { roles: after } });
      await recordAudit(actor, { action: 'user.roles_changed', targetType: 'user', targetId: userId, targetLabel: user.email, before: before, after: after });
      deps.events.emit('user.roles_changed', { userId, roles: after });
    },

    /** Suspension ends the user's sessions at once and refuses their sign-in until lifted. */
    async setSuspended(actor: Actor, userId: string, suspended: boolean, reason: string): Promise<void> {
      if (!canSuspend(actor, userId)) throw new Forbidden(message('admin.user.suspendRefused'));
      const user = await manageableTarget(userId);
      if (Boolean(user.suspendedAt) === suspended) return;
      await User.updateOne({ _id: user._id }, { $set: { suspendedAt: suspended ? new Date() : null, suspendedReason: suspended ? reason : '' } });
      if (suspended) await deps.endSessionsOf(userId);
      await recordAudit(actor, {
        action: suspended ? 'user.suspended' : 'user.reinstated',
        targetType: 'user',
        targetId: userId,
        targetLabel: user.email,
        before: { suspended: Boolean(user.suspendedAt) },
        after: { suspended },
        reason,
      });
      deps.events.emit('user.suspended', { userId, suspended });
    },
  };
}

export type AdminUsers = ReturnType<typeof createAdminUsers>;
