import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import type { EventBus } from '../../shared/events.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { toActor } from './actor-of-user.ts';
import { User } from './user.model.ts';

const TTL_MS = 5_000;
const MAX_USERS = 10_000;

/** The active (not suspended) user with this id, or null. */
async function readActiveActor(userId: string): Promise<Actor | null> {
  const user = mongoose.isValidObjectId(userId) ? await User.findById(userId).lean() : null;
  return user && !user.suspendedAt ? toActor(user) : null;
}

/**
 * Who a session belongs to, cached for a few seconds so a signed-in page costs no user lookup:
 * one read shared by a user's concurrent requests, renewed behind them (keyed-cache.ts). Any
 * change to a user (roles, suspension, email, profile) drops their entry at once.
 */
export function createUserCache(events: EventBus) {
  const entries = createKeyedCache(readActiveActor, { ttlMs: TTL_MS, maxKeys: MAX_USERS });
  const forget = ({ userId }: { userId: string }) => {
    entries.forget(userId);
  };
  for (const event of ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const) {
    events.on(event, forget);
  }

  return {
    /** The active (not suspended) user with this id, or null. */
    activeActor: (userId: string): Promise<Actor | null> => entries.get(userId),
    forget: (userId: string) => entries.forget(userId),
    reset: () => entries.clear(),
  };
}

export type UserCache = ReturnType<typeof createUserCache>;
