import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { ROLES } from '../../shared/actor.ts';
import { Forbidden, NotFound } from '../../shared/errors.ts';
import { User } from '../accounts/user.model.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ItemCatalog } from '../backlogs/item-catalog.ts';
import { itemNoteText } from '../backlogs/item-notes.ts';
import { ITEM_STATUS_LABELS } from '../backlogs/workflow.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import { CommentThread } from '../community/comment.model.ts';
import { STATUS_LABELS } from '../ideas/idea-status.ts';
import { Idea, type IdeaStatus } from '../ideas/idea.model.ts';
import { canReadIdea, canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import { Inbox, Notification, noticeText, notificationId } from '../notifications/notification.model.ts';
import { activityOf } from './individual-activity.ts';
import type { ActivityEntry } from './individual-activity.model.ts';
import { canViewPerson, seesEverything } from './individual.policy.ts';
import { message, type Text } from '../../i18n/i18n.ts';
import { moverOf, noteOf } from '../ideas/history-notes.ts';

/** Each activity list shows its latest entries; the index keeps more, the page says how many. */
const SHOWN = 100;
const NOTIFICATIONS_SHOWN = 50;
const EXCERPT = 200;
// The audit log's label of a deleted account: a stored record, kept in one language.
const FORMER_MEMBER = 'a former member';
// What the page shows for what is gone or closed to the reader, in the reader's language.
const GONE = {
  member: message('insights.figures.formerMember'),
  challenge: message('insights.figures.removedChallenge'),
  idea: message('insights.person.removedIdea'),
  untitled: message('insights.person.untitled'),
  closed: message('insights.person.closedIdea'),
};

type Deps = {
  catalog: ChallengeCatalog;
  items: ItemCatalog;
  /** Whether the actor judges, blind, an idea of this person's (their page would reveal the author). */
  judgesAuthorBlind: (actor: Actor, userId: string) => Promise<boolean>;
  /** The person's ideas, drafts included (the ideas feature's list). */
  authoredIdeaIds: (userId: string) => Promise<string[]>;
};

type IdeaRecord = NonNullable<Awaited<ReturnType<typeof loadIdea>>>;
const loadIdea = (id: string) => (mongoose.isValidObjectId(id) ? Idea.findById(id).lean() : Promise.resolve(null));

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
}

function statusOf(user: { suspendedAt?: Date | null } | null): 'active' | 'suspended' | 'deleted' {
  if (!user) return 'deleted';
  return user.suspendedAt ? 'suspended' : 'active';
}

/** A person's page: who they are, what became of their ideas, what they did and what we told them. */
export function createIndividual(deps: Deps) {
  const { catalog, items } = deps;

  const challengeRef = async (id: string) => {
    const challenge = await catalog.get(id);
    return challenge ? { id, title: challenge.title as Text } : { id, title: GONE.challenge };
  };

  /** An idea's full path: its own statuses, then each backlog item it feeds with that item's moves and public notes. */
  async function ideaPath(idea: IdeaRecord) {
    const fed = await Promise.all((idea.promotedTo ?? []).map((entry) => items.get(String(entry.itemId))));
    return {
      id: String(idea._id),
      title: idea.title || GONE.untitled,
      status: idea.status,
      statusLabel: STATUS_LABELS[idea.status as IdeaStatus],
      createdAt: idea.createdAt,
      challenge: await challengeRef(String(idea.challengeId)),
      path: idea.statusHistory.map((change) => ({
        status: change.status,
        label: STATUS_LABELS[change.status as IdeaStatus] ?? change.status,
        at: change.at,
        byName: moverOf(change),
        note: noteOf(change),
      })),
      items: fed
        .filter((item) => item !== undefined)
        .map((item) => ({
          id: item.id,
          title: item.title,
          backlogId: item.backlogId,
          status: item.status,
          statusLabel: ITEM_STATUS_LABELS[item.status],
          history: item.statusHistory.map((change) => ({ status: change.to, label: ITEM_STATUS_LABELS[change.to], at: change.at, byName: change.byName, note: itemNoteText(change) })),
        })),
    };
  }

  /**
   * Titles of the ideas the activity touched. Staff read them all; a member reading their own page
   * sees only what they may still read (an idea hidden since, or in a challenge closed to them, is named as such).
   */
  async function ideaTitles(actor: Actor, everything: boolean, ids: string[]) {
    const titles = new Map<string, Text>();
    await Promise.all(
      [...new Set(ids)].map(async (id) => {
        const idea = await loadIdea(id);
        const challenge = idea ? await catalog.get(String(idea.challengeId)) : undefined;
        if (!idea || !challenge) titles.set(id, GONE.idea);
        else if (everything || (canSeeIdea(actor, accessOf(idea), challenge) && canReadIdea(actor, accessOf(idea), challenge))) titles.set(id, idea.title || GONE.untitled);
        else titles.set(id, GONE.closed);
      }),
    );
    return titles;
  }

  async function commentTexts(entries: ActivityEntry[]) {
    const threads = new Map<string, Awaited<ReturnType<typeof loadThread>>>();
    const loadThread = (ideaId: string) => CommentThread.findById(ideaId).lean();
    await Promise.all([...new Set(entries.map((entry) => entry.ideaId))].map(async (ideaId) => threads.set(ideaId, await loadThread(ideaId))));
    return (entry: ActivityEntry) => threads.get(entry.ideaId)?.comments.find((comment) => comment.id === entry.ref);
  }

  async function notificationsOf(userId: string) {
    const inbox = await Inbox.findById(userId).lean();
    const latest = inbox?.latest ?? 0;
    const seqs = Array.from({ length: Math.min(NOTIFICATIONS_SHOWN, latest) }, (_, index) => latest - index);
    const found = await Promise.all(seqs.map((seq) => Notification.findById(notificationId(userId, seq)).lean()));
    return {
      total: latest,
      shown: found.filter((n) => n !== null).map((n) => ({ at: n.at, text: noticeText(n), link: n.link, kind: n.kind, read: n.read || n.seq <= (inbox?.readUpTo ?? 0) })),
    };
  }

  const latest = (entries: ActivityEntry[]) => [...entries].reverse().slice(0, SHOWN);

  return {
    /**
     * The individual view of `userId` for `actor`: staff see anyone's, a member only their own.
     * Every opening by someone else is audited, a suspended or deleted person's too.
     */
    async person(actor: Actor, userId: string) {
      if (!canViewPerson(actor, userId)) throw new Forbidden(message('insights.refusal.ownOnly'));
      const self = actor.id === userId;
      if (!mongoose.isValidObjectId(userId)) throw new NotFound(message('insights.refusal.noPerson'));
      if (!self && (await deps.judgesAuthorBlind(actor, userId))) {
        throw new Forbidden(message('insights.refusal.blind'));
      }
      const [user, authoredIds, activity] = await Promise.all([User.findById(userId).lean(), deps.authoredIdeaIds(userId), activityOf(userId)]);
      const traces = authoredIds.length + activity.votes.length + activity.comments.length + activity.comparisons.length;
      // A deleted account leaves its ideas and activity behind; an id that never was anyone has nothing.
      if (!user && traces === 0 && !(await Inbox.exists({ _id: userId }))) throw new NotFound(message('insights.refusal.noPerson'));
      const status = statusOf(user);
      const name: Text = user?.name ?? GONE.member;
      if (!self) {
        await recordAudit(actor, { action: 'person.viewed', targetType: 'user', targetId: userId, targetLabel: user?.email ?? FORMER_MEMBER, after: { status } });
      }

      const everything = seesEverything(actor);
      const ideaDocs = (await Promise.all(authoredIds.map((id) => loadIdea(id)))).filter((idea) => idea !== null);
      const ideas = await Promise.all(ideaDocs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map(ideaPath));

      const votes = latest(activity.votes);
      const comments = latest(activity.comments);
      const comparisons = latest(activity.comparisons);
      const titles = await ideaTitles(actor, everything, [
        ...votes.map((entry) => entry.ideaId),
        ...comments.map((entry) => entry.ideaId),
        ...comparisons.flatMap((entry) => [entry.ideaId, entry.otherIdeaId ?? '']).filter(Boolean),
      ]);
      const ideaRef = (id: string) => ({ id, title: titles.get(id) ?? GONE.idea });
      const commentOf = await commentTexts(comments);

      return {
        self,
        staffView: everything,
        person: {
          id: userId,
          name,
          email: user && (everything || self) ? user.email : null,
          status,
          suspendedAt: user?.suspendedAt ?? null,
          suspendedReason: everything ? (user?.suspendedReason ?? '') : '',
          joinedAt: user?.createdAt ?? null,
          roles: user ? ROLES.filter((role) => user.roles.includes(role)) : [],
          profile: { organisation: '', segment: '', region: '', customerTier: '', ...(user?.profile ?? {}) },
        },
        ideas,
        votes: {
          total: activity.votes.length,
          shown: await Promise.all(votes.map(async (entry) => ({ at: entry.at, idea: ideaRef(entry.ideaId), challenge: await challengeRef(entry.challengeId) }))),
        },
        comments: {
          total: activity.comments.length,
          shown: comments.map((entry) => {
            const comment = commentOf(entry);
            return {
              at: entry.at,
              idea: ideaRef(entry.ideaId),
              id: entry.ref,
              excerpt: comment ? excerpt(comment.body) : '',
              removed: Boolean(comment?.removedAt),
              hidden: Boolean(comment?.hidden),
            };
          }),
        },
        comparisons: {
          total: activity.comparisons.length,
          shown: await Promise.all(
            comparisons.map(async (entry) => ({
              at: entry.at,
              challenge: await challengeRef(entry.challengeId),
              pair: [ideaRef(entry.ideaId), ideaRef(entry.otherIdeaId ?? '')],
              winner: entry.winnerId ? ideaRef(entry.winnerId) : null,
            })),
          ),
        },
        notifications: await notificationsOf(userId),
      };
    },
  };
}

export type Individual = ReturnType<typeof createIndividual>;
