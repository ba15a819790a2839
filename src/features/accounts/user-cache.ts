import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import type { EventBus } from '../../shared/events.ts';
import { toActor } from './actor-of-user.ts';
import { User } from './user.model.ts';

const TTL_MS = 5_000;

/**
 * Who a session belongs to, cached for a few seconds so a signed-in page costs no user lookup.
 * Any change to a user (roles, suspension, email, profile) drops their entry at once.
 */
export function createUserCache(events: EventBus) {
  const entries = new Map<string, { actor: Actor | null; expiresAt: number }>();
  const forget = ({ userId }: { userId: string }) => {
    entries.delete(userId);
  };
  for (const event of ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const) {
    events.on(event, forget);
  }

  return {
    /** The active (not suspended) user with this id, or null. */
    async activeActor(userId: string): Promise<Actor | null> {
      const cached = entries.get(userId);
      if (cached && cached.expiresAt > Date.now()) return cached.actor;
      const user = mongoose.isValidObjectId(userId) ? await User.findById(userId).lean() : null;
      const actor = user && !user.suspendedAt ? toActor(user) : null;
      entries.set(userId, { actor, expiresAt: Date.now() + TTL_MS });
      return actor;
    },
    forget: (userId: string) => entries.delete(userId),
    reset: () => entries.clear(),
  };
}

export type UserCache = ReturnType<typeof createUserCache>;
