import type { EventBus } from '../../shared/events.ts';
import { NOT_STATED, type Dimensions } from './keys.ts';

type UserRecord = { roles?: string[] | null; profile?: { segment?: string | null; region?: string | null; customerTier?: string | null } | null };

/** A person's dimensions as the counters use them: profile attributes, and specialist, staff or customer. */
export function dimensionsOf(user: UserRecord | null): Dimensions {
  const roles = user?.roles ?? [];
  const kind = roles.includes('staff') || roles.includes('admin') ? 'staff' : roles.includes('specialist') ? 'specialist' : 'customer';
  const stated = (value: string | null | undefined) => value?.trim() || NOT_STATED;
  return { segment: stated(user?.profile?.segment), region: stated(user?.profile?.region), tier: stated(user?.profile?.customerTier), kind };
}

/**
 * Dimensions by user id, kept in memory (one lookup by _id per person, dropped when their profile
 * or roles change): every counted event needs them, and nothing else may query per event.
 * `read`: from the app's user cache, whose read of a person the notices of the same event share
 * (a decision's author was read twice, once here and once for their notice).
 */
export function createDimensions(events: EventBus, read: (userId: string) => Promise<UserRecord | null>) {
  const people = new Map<string, Promise<Dimensions>>();
  const forget = ({ userId }: { userId: string }) => {
    people.delete(userId);
  };
  events.on('user.profile_changed', forget);
  events.on('user.roles_changed', forget);

  return {
    of(userId: string): Promise<Dimensions> {
      let entry = people.get(userId);
      if (!entry) {
        entry = read(userId).then(dimensionsOf);
        entry.catch(() => people.delete(userId));
        people.set(userId, entry);
      }
      return entry;
    },
  };
}

export type PersonDimensions = ReturnType<typeof createDimensions>;
