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
  /**
   * The entries read, as values: a list page takes its 50 authors from here without waiting on
   * a promise each (about 1% of a member's challenge page); `people` holds them while they are read.
   */
  const read = new Map<string, PersonSummary | null>();
  const forget = (userId: string) => {
    people.delete(userId);
    read.delete(userId);
  };
  events.on('user.profile_changed', ({ userId }) => forget(userId));
  events.on('user.email_changed', ({ userId }) => forget(userId));

  function person(id: string): Promise<PersonSummary | null> {
    let entry = people.get(id);
    if (!entry) {
      const reading: Promise<PersonSummary | null> = (mongoose.isValidObjectId(id) ? User.findById(id, { name: 1, email: 1, profile: 1, deletedAt: 1 }).lean() : Promise.resolve(null)).then(
        (user) => {
          const found = user ? { id, name: user.name, email: user.email, segment: user.profile?.segment ?? '', deleted: Boolean(user.deletedAt) } : null;
          // Unless it was forgotten while it was read: then what was read may be the old.
          if (people.get(id) === reading) read.set(id, found);
          return found;
        },
        (error: unknown) => {
          // A failed read (the database away) is not kept: the next asks again.
          if (people.get(id) === reading) people.delete(id);
          throw error;
        },
      );
      entry = reading;
      people.set(id, entry);
    }
    return entry;
  }

  return {
    person,
    forget,
    reset: () => {
      people.clear();
      read.clear();
    },
    /** The people of these ids that exist, in the order of the ids. */
    async people(ids: string[]): Promise<Map<string, PersonSummary>> {
      const found = new Map<string, PersonSummary | null>();
      const unread: string[] = [];
      for (const id of ids) {
        if (found.has(id)) continue;
        const known = read.get(id);
        if (known === undefined) unread.push(id);
        found.set(id, known ?? null);
      }
      if (unread.length > 0) await Promise.all(unread.map(async (id) => found.set(id, await person(id))));
      const people = new Map<string, PersonSummary>();
      for (const [id, each] of found) if (each) people.set(id, each);
      return people;
    },
    async byEmail(email: string): Promise<PersonSummary | null> {
      const user = await User.findOne({ email }, { name: 1, email: 1, profile: 1, deletedAt: 1 }).lean();
      return user ? { id: String(user._id), name: user.name, email: user.email, segment: user.profile?.segment ?? '', deleted: Boolean(user.deletedAt) } : null;
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
