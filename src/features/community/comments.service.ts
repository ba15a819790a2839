import { message } from '../../i18n/i18n.ts';
import { createHash, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import { accessOf, type Ideas } from '../ideas/ideas.service.ts';
import type { IdeaAccess } from '../ideas/ideas.policy.ts';
import { isChallengeTeam } from '../challenges/challenges.policy.ts';
import { canCurate } from '../curation/curation.policy.ts';
import { hiddenMessages } from '../curation/hidden-view.ts';
import { tallyIdOf } from '../curation/hiding.ts';
import { CommentThread, threadHolds, type StoredComment } from './comment.model.ts';
import { forgetThread, recentComments } from './recent-threads.ts';
import { closeTally } from './reports.service.ts';
import { canEditComment, canMarkOfficial, canRemoveComment, commentRefusal } from './community.policy.ts';
import { highlightMentions, mentionedIds, suggestMentions, type Mentionable } from './mentions.ts';

const MAX_COMMENTS_PER_IDEA = 2_000;

/**
 * The id of the comment one rendered form sends, the same however often it is sent (shaped as
 * the random UUIDs of comments sent without a key, which routes accept as comment ids).
 */
function commentIdFor(actorId: string, ideaId: string, parentId: string | null, key: string): string {
  const hex = createHash('sha256')
    .update(`${actorId}:${ideaId}:${parentId ?? ''}:${key}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Rewrites one comment, conditional on the thread not having changed since it was read. `change`
 * sees the comment as stored now and returns null when there is nothing to do (then: false).
 */
export async function rewriteComment(ideaId: string, commentId: string, change: (comment: StoredComment) => StoredComment | null): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const thread = await CommentThread.findById(ideaId).lean();
    const comments = (thread?.comments ?? []) as StoredComment[];
    const current = comments.find((comment) => comment.id === commentId);
    if (!current) throw new NotFound(message('community.comment.noSuch'));
    const changed = change(current);
    if (!changed) return false;
    const result = await CommentThread.updateOne(
      { _id: ideaId, version: thread!.version },
      { $set: { comments: comments.map((comment) => (comment.id === commentId ? changed : comment)) }, $inc: { version: 1 } },
    );
    forgetThread(ideaId);
    if (result.modifiedCount === 1) return true;
  }
  throw new Conflict(message('community.comment.changed'));
}

/**
 * Appends the comment unless the thread holds one with its id (of two sendings at once, one is
 * stored) or is full; creates the thread for the first. False when nothing was written.
 */
async function pushComment(ideaId: string, comment: { id: string; key: string }): Promise<boolean> {
  try {
    // `$nor`, not `$ne` on `comments.id`: the embedded engine matches `$ne` through an array of documents wrongly (never excludes).
    const filter = { _id: ideaId, $nor: [{ 'comments.id': comment.id }], [`comments.${MAX_COMMENTS_PER_IDEA - 1}`]: mongoose.trusted({ $exists: false }) };
    const pushed = await CommentThread.updateOne(filter, { $push: { comments: comment }, $inc: { version: 1 } }, { upsert: true });
    return pushed.modifiedCount + pushed.upsertedCount > 0;
  } catch (error) {
    // The thread exists and did not match: the upsert's insert collided with it.
    if (!isDuplicateKeyError(error)) throw error;
    return false;
  } finally {
    forgetThread(ideaId);
  }
}

/**
 * Why a comment was not (or need not be) stored, from the thread as stored: its id there (sent
 * before: the same words by the same person are a retry, other words a mistake), the thread full,
 * or neither (null: it may be written).
 */
function settledBefore(comments: readonly StoredComment[], id: string, actor: Actor, body: string): string | null {
  const sent = comments.find((comment) => comment.id === id);
  if (sent) {
    if (String(sent.authorId) !== actor.id || sent.body !== body) throw new Conflict(message('community.comment.resent'));
    return id;
  }
  if (comments.length >= MAX_COMMENTS_PER_IDEA) throw new Conflict(message('community.comment.full'));
  return null;
}

export function createComments(deps: { ideas: Ideas; directory: UserDirectory; events: EventBus }) {
  const { ideas, directory, events } = deps;
  // A retry of a sending that was stored adds nothing and announces nothing; one whose first
  // sending was not stored posts under the same id with its own mark, so only one of the two counts.
  events.verifyWith('comment.added', async (payload, mark) => ((await threadHolds(payload.ideaId, mark)) ? payload : null));

  async function load(ideaId: string): Promise<StoredComment[]> {
    return ((await CommentThread.findById(ideaId).lean())?.comments ?? []) as StoredComment[];
  }

  /** Who may be mentioned: people already in the idea's conversation (authors, commenters, the team). */
  async function mentionable(access: IdeaAccess, copilotIds: string[], comments: readonly StoredComment[]): Promise<Mentionable[]> {
    const ids = [access.authorId, ...access.coAuthors.map((c) => c.userId), ...comments.map((c) => String(c.authorId)), ...copilotIds];
    return [...(await directory.people(ids)).values()].map(({ id, name }) => ({ id, name }));
  }

  async function findComment(ideaId: string, commentId: string) {
    const comment = (await load(ideaId)).find((candidate) => candidate.id === commentId);
    if (!comment) throw new NotFound(message('community.comment.noSuch'));
    return comment;
  }

  return {
    /** The discussion as the viewer sees it: replies under their parents, removed text withheld. */
    async thread(actor: MaybeActor, ideaId: string) {
      const { idea, challenge } = await ideas.visibleIdea(actor, ideaId);
      const comments = await recentComments(ideaId);
      const people = await directory.people(comments.map((comment) => String(comment.authorId)));
      const names = (await mentionable(accessOf(idea), challenge.copilotIds, comments)).map((person) => person.name);
      const curates = canCurate(actor, challenge);
      const view = (comment: StoredComment) => {
        const hidden = hiddenMessages('comment', comment.hidden);
        // A hidden comment: the crowd reads a placeholder; its author and the team read it with a note.
        const withheld = Boolean(hidden) && String(comment.authorId) !== actor?.id && !isChallengeTeam(actor, challenge);
        return {
          id: comment.id,
          authorName: shownName(people.get(String(comment.authorId))),
          isIdeaAuthor: accessOf(idea).authorId === String(comment.authorId),
          bodyHtml: comment.removedAt || withheld ? '' : highlightMentions(comment.bodyHtml, names),
          body: comment.removedAt || withheld ? '' : comment.body,
          removed: Boolean(comment.removedAt),
          hiddenPlaceholder: withheld ? hidden!.placeholder : '',
          hiddenNote: hidden && !withheld ? hidden.note : '',
          edited: Boolean(comment.editedAt),
          official: comment.official,
          createdAt: comment.createdAt,
          can: {
            edit: canEditComment(actor, { ...comment, authorId: String(comment.authorId) }),
            remove: !comment.removedAt && canRemoveComment(actor, { authorId: String(comment.authorId) }, challenge),
            markOfficial: !comment.removedAt && canMarkOfficial(actor, challenge),
            report: actor !== null && String(comment.authorId) !== actor.id && !comment.removedAt && !withheld,
            hide: curates && !hidden && !comment.removedAt,
            unhide: curates && Boolean(hidden) && !comment.removedAt,
          },
        };
      };
      const topLevel = comments.filter((comment) => !comment.parentId);
      return {
        refusal: commentRefusal(actor, accessOf(idea), challenge),
        count: comments.filter((comment) => !comment.removedAt).length,
        comments: topLevel.map((comment) => ({ ...view(comment), replies: comments.filter((reply) => reply.parentId === comment.id).map(view) })),
      };
    },

    /** Names to complete "@…" while typing a comment: only for who may comment, only who may be mentioned. */
    async mentionSuggestions(actor: Actor, ideaId: string, prefix: string): Promise<string[]> {
      const { idea, challenge } = await ideas.visibleIdea(actor, ideaId);
      const refusal = commentRefusal(actor, accessOf(idea), challenge);
      if (refusal) throw new Forbidden(refusal);
      return suggestMentions(await mentionable(accessOf(idea), challenge.copilotIds, await load(ideaId)), prefix, actor.id).map((person) => person.name);
    },

    async addComment(actor: Actor, ideaId: string, input: { body: string; parentId?: string; idempotencyKey?: string }): Promise<string> {
      const { idea, challenge } = await ideas.visibleFacts(actor, ideaId);
      const refusal = commentRefusal(actor, idea.access, challenge);
      if (refusal) throw new Forbidden(refusal);
      const id = input.idempotencyKey ? commentIdFor(actor.id, ideaId, input.parentId ?? null, input.idempotencyKey) : randomUUID();
      // A plain comment is written without reading the discussion (it may hold 2,000 comments):
      // the write's conditions refuse a repeat and a full thread. A reply needs its parent, an "@"
      // the idea's people: then it is read first.
      const existing = input.parentId || input.body.includes('@') ? await load(ideaId) : null;
      if (existing) {
        const parent = input.parentId ? existing.find((comment) => comment.id === input.parentId) : undefined;
        if (input.parentId && (!parent || parent.parentId)) throw new Invalid({ body: message('community.comment.replyShown') });
        const settled = settledBefore(existing, id, actor, input.body);
        if (settled) return settled;
      }
      const participants = existing && input.body.includes('@') ? await mentionable(idea.access, challenge.copilotIds, existing) : [];
      const createdAt = new Date();
      const intent = await events.intend([
        'comment.added',
        {
          ideaId,
          challengeId: challenge.id,
          commentId: id,
          authorId: actor.id,
          authorName: actor.name,
          ideaTitle: idea.title,
          tags: idea.tags,
          mentionedIds: mentionedIds(input.body, participants).filter((mentioned) => mentioned !== actor.id),
          at: createdAt,
        },
      ]);
      const comment = {
        key: intent.mark,
        id,
        authorId: new mongoose.Types.ObjectId(actor.id),
        parentId: input.parentId ?? null,
        body: input.body,
        bodyHtml: renderMarkdown(input.body),
        createdAt,
      };
      // Two tries: the second when a parallel first comment created the thread (the upsert's insert met it).
      for (let attempt = 1; ; attempt++) {
        if (await pushComment(ideaId, comment)) {
          await intent.done();
          return id;
        }
        let settled: string | null;
        try {
          settled = settledBefore(await load(ideaId), id, actor, input.body);
          if (!settled && attempt === 2) throw new Conflict(message('community.comment.changed'));
        } catch (error) {
          await intent.abandon();
          throw error;
        }
        if (settled) {
          await intent.abandon();
          return settled;
        }
      }
    },

    async editComment(actor: Actor, ideaId: string, commentId: string, body: string): Promise<void> {
      await ideas.visibleIdea(actor, ideaId);
      const comment = await findComment(ideaId, commentId);
      if (!canEditComment(actor, { ...comment, authorId: String(comment.authorId) })) {
        throw new Forbidden(message('community.comment.editWindow'));
      }
      await rewriteComment(ideaId, commentId, (current) => ({ ...current, body, bodyHtml: renderMarkdown(body), editedAt: new Date() }));
    },

    /** Soft removal: the comment shows as removed, so replies keep their context. */
    async removeComment(actor: Actor, ideaId: string, commentId: string): Promise<void> {
      const { challenge } = await ideas.visibleIdea(actor, ideaId);
      const comment = await findComment(ideaId, commentId);
      if (!canRemoveComment(actor, { authorId: String(comment.authorId) }, challenge)) throw new Forbidden(message('community.comment.mayNotRemove'));
      await rewriteComment(ideaId, commentId, (current) => ({ ...current, removedAt: new Date(), removedById: new mongoose.Types.ObjectId(actor.id), official: false }));
      // A removed comment needs no review: its open reports close with it and leave the queue's figure.
      if (await closeTally(tallyIdOf({ targetType: 'comment', ideaId, commentId }), 'removed')) await ideas.lifecycle.markCommentReported(ideaId, commentId, false);
    },

    async setOfficial(actor: Actor, ideaId: string, commentId: string, official: boolean): Promise<void> {
      const { challenge } = await ideas.visibleIdea(actor, ideaId);
      if (!canMarkOfficial(actor, challenge)) throw new Forbidden(message('community.comment.officialRefused'));
      await rewriteComment(ideaId, commentId, (current) => ({ ...current, official }));
    },
  };
}

export type Comments = ReturnType<typeof createComments>;
