import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import type { EventBus } from '../../shared/events.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { toActor } from './actor-of-user.ts';
import { User } from './user.model.ts';

const TTL_MS = 5_000;
const MAX_USERS = 10_000;

/** What a notice to a person goes by: their choices, and what an email to them says. */
export type Recipient = { email: string; name: string; notificationPrefs?: unknown; locale?: string | null; timezone?: string | null };

/** What the insights count a person's actions by (their dimensions), suspended or not. */
export type Counted = { roles: string[]; profile: { segment?: string | null; region?: string | null; customerTier?: string | null } | null };

/** The user with this id as the app acts for them (null when suspended) and as a notice reaches them (suspended or not). */
async function readUser(userId: string): Promise<{ actor: Actor | null; recipient: Recipient | null; counted: Counted | null }> {
  const user = mongoose.isValidObjectId(userId) ? await User.findById(userId).lean() : null;
  if (!user) return { actor: null, recipient: null, counted: null };
  const recipient = { email: user.email, name: user.name, notificationPrefs: user.notificationPrefs, locale: user.locale, timezone: user.timezone };
  return { actor: user.suspendedAt ? null : toActor(user), recipient, counted: { roles: user.roles, profile: user.profile ?? null } };
}

/**
 * Who a session belongs to, cached for a few seconds so a signed-in page costs no user lookup:
 * one read shared by a user's concurrent requests, renewed behind them (keyed-cache.ts). Any
 * change to a user (roles, suspension, email, profile) drops their entry at once.
 */
export function createUserCache(events: EventBus) {
  const entries = createKeyedCache(readUser, { ttlMs: TTL_MS, maxKeys: MAX_USERS });
  const forget = ({ userId }: { userId: string }) => {
    entries.forget(userId);
  };
  for (const event of ['user.roles_changed', 'user.suspended', 'user.email_changed', 'user.email_verified', 'user.profile_changed', 'user.password_changed'] as const) {
    events.on(event, forget);
  }

  return {
    /** The active (not suspended) user with this id, or null. */
    activeActor: async (userId: string): Promise<Actor | null> => (await entries.get(userId)).actor,
    /**
     * From the same read: the notices a challenge's followers get for each new idea cost no read of
     * each follower. Notification choices saved by another process show within TTL_MS (they are
     * not a change of the user that the change log carries).
     */
    recipient: async (userId: string): Promise<Recipient | null> => (await entries.get(userId)).recipient,
    /** From the same read again: a decision's notice to its author and its insights counters cost one read of the author, not two. */
    counted: async (userId: string): Promise<Counted | null> => (await entries.get(userId)).counted,
    forget: (userId: string) => entries.forget(userId),
    reset: () => entries.clear(),
  };
}

export type UserCache = ReturnType<typeof createUserCache>;
