import mongoose from 'mongoose';
import type { EventBus } from '../../shared/events.ts';
import { User } from './user.model.ts';

/** `deleted`: the account was erased, and `name` is its shell's (see `shownName`). */
export type PersonSummary = { id: string; name: string; email: string; segment: string; deleted: boolean };

/**
 * Display names (and the little else lists need) by user id, kept in memory: lists show many
 * authors, and `populate` would send one `$in` query that the embedded engine answers by a scan.
 * Each missing entry is read by _id; profile and email changes drop the entry.
 */
export function createUserDirectory(events: EventBus) {
  const people = new Map<string, Promise<PersonSummary | null>>();
  const forget = ({ userId }: { userId: string }) => {
    people.delete(userId);
  };
  events.on('user.profile_changed', forget);
  events.on('user.email_changed', forget);

  function person(id: string): Promise<PersonSummary | null> {
    let entry = people.get(id);
    if (!entry) {
      entry = (mongoose.isValidObjectId(id) ? User.findById(id, { name: 1, email: 1, profile: 1, deletedAt: 1 }).lean() : Promise.resolve(null)).then((user) =>
        user ? { id, name: user.name, email: user.email, segment: user.profile?.segment ?? '', deleted: Boolean(user.deletedAt) } : null,
      );
      people.set(id, entry);
    }
    return entry;
  }

  return {
    person,
    forget: (userId: string) => people.delete(userId),
    reset: () => people.clear(),
    async people(ids: string[]): Promise<Map<string, PersonSummary>> {
      const found = await Promise.all([...new Set(ids)].map(person));
      return new Map(found.filter((p): p is PersonSummary => p !== null).map((p) => [p.id, p]));
    },
    async byEmail(email: string): Promise<PersonSummary | null> {
      const user = await User.findOne({ email }, { name: 1, email: 1, profile: 1, deletedAt: 1 }).lean();
      return user ? { id: String(user._id), name: user.name, email: user.email, segment: user.profile?.segment ?? '', deleted: Boolean(user.deletedAt) } : null;
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
