import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { User } from '../accounts/user.model.ts';
import { Backlog } from './backlog.model.ts';
import { canManageBacklogs } from './backlogs.policy.ts';
import { message } from '../../i18n/i18n.ts';

export type BacklogView = { id: string; name: string; ownerIds: string[] };

/** Every installation starts with these two; admins add more. */
const DEFAULT_BACKLOGS = [
  { _id: 'product', name: 'Product' },
  { _id: 'marketing', name: 'Marketing' },
];

/**
 * The backlogs and their owners: a handful of documents, read whole and kept in memory (every
 * board and item page asks who owns its backlog). This process's writes forget them at once,
 * another process's through the change log (`backlog.changed`, cluster/read-model-sync.ts).
 */
export function createBacklogs(events: EventBus) {
  let defaultsEnsured: Promise<void> | undefined;
  function ensureDefaults(): Promise<void> {
    defaultsEnsured ??= Promise.all(
      DEFAULT_BACKLOGS.map((backlog) =>
        Backlog.create(backlog).then(
          () => undefined,
          (error: unknown) => {
            if (!isDuplicateKeyError(error)) throw error;
          },
        ),
      ),
    ).then(() => undefined);
    defaultsEnsured.catch(() => {
      defaultsEnsured = undefined;
    });
    return defaultsEnsured;
  }

  const toView = (doc: { _id: string; name: string; ownerIds: mongoose.Types.ObjectId[] }): BacklogView => ({ id: doc._id, name: doc.name, ownerIds: doc.ownerIds.map(String) });

  let loading: Promise<Map<string, BacklogView>> | undefined;
  function known(): Promise<Map<string, BacklogView>> {
    loading ??= ensureDefaults()
      .then(() => Backlog.find({}).sort({ _id: 1 }).lean())
      .then((docs) => new Map(docs.map((doc) => [doc._id, toView(doc)])));
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  }

  /** After a write: this process reads the backlogs again, and tells the others. */
  async function changed(backlogId: string): Promise<void> {
    loading = undefined;
    await events.emit('backlog.changed', { backlogId });
  }

  async function list(): Promise<BacklogView[]> {
    return [...(await known()).values()];
  }

  async function get(id: string): Promise<BacklogView> {
    const backlogs = await known();
    const valid = typeof id === 'string' && /^[a-z0-9-]{1,40}$/.test(id);
    // One this process has not heard of yet (another process's, its announcement on its way) is read by _id.
    if (valid && !backlogs.has(id)) {
      const doc = await Backlog.findById(id).lean();
      if (doc) return toView(doc);
    }
    const backlog = valid ? backlogs.get(id) : undefined;
    if (!backlog) throw new NotFound(message('backlogs.refusal.noBacklog'));
    return backlog;
  }

  return {
    list,
    get,
    /** Another process changed a backlog (the change log says so), or a script many: read them all again. */
    forget: () => {
      loading = undefined;
    },

    async add(actor: Actor, input: { id: string; name: string }) {
      if (!canManageBacklogs(actor)) throw new Forbidden(message('backlogs.refusal.add'));
      await ensureDefaults();
      try {
        await Backlog.create({ _id: input.id, name: input.name });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new Invalid({ id: message('backlogs.invalid.exists', { id: input.id }) });
        throw error;
      }
      await changed(input.id);
      await recordAudit(actor, { action: 'backlog.added', targetType: 'backlog', targetId: input.id, targetLabel: input.name });
    },

    /** Names the owners by email; each must be a staff member's account. */
    async setOwners(actor: Actor, backlogId: string, emails: string[]) {
      if (!canManageBacklogs(actor)) throw new Forbidden(message('backlogs.refusal.owners'));
      const backlog = await get(backlogId);
      const users = emails.length ? await User.find({ email: mongoose.trusted({ $in: emails }) }).lean() : [];
      const missing = emails.find((email) => !users.some((user) => user.email === email));
      if (missing) throw new Invalid({ owners: message('backlogs.invalid.noAccount', { email: missing }) });
      const notStaff = users.find((user) => !user.roles.includes('staff') && !user.roles.includes('admin'));
      if (notStaff) throw new Invalid({ owners: message('backlogs.invalid.notStaff', { email: notStaff.email }) });
      // The whole list is replaced: the last admin to save decides, and the audit keeps both.
      await Backlog.updateOne({ _id: backlogId }, { $set: { ownerIds: users.map((user) => user._id) } });
      await changed(backlogId);
      await recordAudit(actor, {
        action: 'backlog.owners_changed',
        targetType: 'backlog',
        targetId: backlogId,
        targetLabel: backlog.name,
        before: backlog.ownerIds,
        after: users.map((user) => String(user._id)),
      });
    },
  };
}

export type Backlogs = ReturnType<typeof createBacklogs>;
