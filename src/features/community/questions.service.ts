import { message, type Message } from '../../i18n/i18n.ts';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import type { EventBus, PlannedEvent } from '../../shared/events.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { canMovePhase } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { CommentThread, threadHolds, type StoredComment } from './comment.model.ts';

const threadId = (challengeId: string) => `challenge:${challengeId}`;

/** Members ask while the challenge runs; the team (staff and its copilots) answers and announces. */
export function questionRefusal(actor: MaybeActor, challenge: ChallengeView): Message | null {
  if (!actor) return message('community.question.signIn');
  if (!actor.emailVerified) return message('community.question.confirm');
  if (challenge.phase === 'draft' || challenge.phase === 'closed') return message('community.question.closed');
  return null;
}
const isTeamVoice = canMovePhase;

// The challenge page shows the Q&A on every view: it is kept in memory, dropped at once on a write
// here, and read again after a few seconds (behind its readers, keyed-cache.ts) so another
// process's writes show up soon.
const CACHE_MS = 3_000;
const MAX_CHALLENGES = 1_000;

const readEntries = (challengeId: string): Promise<StoredComment[]> =>
  CommentThread.findById(threadId(challengeId))
    .lean()
    .then((thread) => (thread?.comments ?? []) as StoredComment[]);

export function createQuestions(deps: { challenges: Challenges; directory: UserDirectory; events: EventBus }) {
  const cache = createKeyedCache(readEntries, { ttlMs: CACHE_MS, maxKeys: MAX_CHALLENGES });
  const entriesOf = (challengeId: string): Promise<StoredComment[]> => cache.get(challengeId);

  // The questions, answers and announcements are entries of the challenge's thread, each with its event's mark.
  for (const name of ['question.asked', 'question.answered', 'challenge.announced'] as const) {
    deps.events.verifyWith(name, async (payload, mark) => ((await threadHolds(threadId(payload.challengeId), mark)) ? payload : null));
  }

  /** Posts the entry, its event recorded before and told after (`planned` gets the entry's id). */
  async function add(actor: Actor, challenge: ChallengeView, entry: { kind: 'question' | 'announcement' | 'comment'; body: string; parentId?: string }, planned: (id: string) => PlannedEvent) {
    const id = randomUUID();
    const intent = await deps.events.intend(planned(id));
    await CommentThread.updateOne(
      { _id: threadId(challenge.id) },
      {
        $push: {
          comments: {
            id,
            kind: entry.kind,
            authorId: new mongoose.Types.ObjectId(actor.id),
            parentId: entry.parentId ?? null,
            body: entry.body,
            bodyHtml: renderMarkdown(entry.body),
            createdAt: new Date(),
            official: entry.kind === 'comment',
            key: intent.mark,
          },
        },
        $inc: { version: 1 },
      },
      { upsert: true },
    );
    cache.forget(challenge.id);
    await intent.done();
  }

  return {
    /** Announcements first (newest first), then questions with their answers. */
    async board(actor: MaybeActor, challenge: ChallengeView) {
      const entries = await entriesOf(challenge.id);
      const people = await deps.directory.people(entries.map((entry) => String(entry.authorId)));
      const view = (entry: StoredComment) => ({ id: entry.id, authorName: shownName(people.get(String(entry.authorId))), bodyHtml: entry.bodyHtml, createdAt: entry.createdAt });
      return {
        announcements: entries
          .filter((entry) => entry.kind === 'announcement')
          .reverse()
          .map(view),
        questions: entries.filter((entry) => entry.kind === 'question').map((question) => ({ ...view(question), answers: entries.filter((entry) => entry.parentId === question.id).map(view) })),
        refusal: questionRefusal(actor, challenge),
        canAnswer: isTeamVoice(actor, challenge),
      };
    },

    async ask(actor: Actor, challengeId: string, body: string): Promise<void> {
      const challenge = await deps.challenges.visibleChallenge(actor, challengeId);
      const refusal = questionRefusal(actor, challenge);
      if (refusal) throw new Forbidden(refusal);
      await add(actor, challenge, { kind: 'question', body }, (id) => ['question.asked', { challengeId, questionId: id, byId: actor.id, byName: actor.name, title: challenge.title }]);
    },

    async answer(actor: Actor, challengeId: string, questionId: string, body: string): Promise<void> {
      const challenge = await deps.challenges.visibleChallenge(actor, challengeId);
      if (!isTeamVoice(actor, challenge)) throw new Forbidden(message('community.question.answerRefused'));
      const entries = await entriesOf(challengeId);
      const question = entries.find((entry) => entry.id === questionId && entry.kind === 'question');
      if (!question) throw new Invalid({ body: message('community.question.notHere') });
      await add(actor, challenge, { kind: 'comment', body, parentId: questionId }, () => [
        'question.answered',
        { challengeId, questionId, askerId: String(question.authorId), byId: actor.id, title: challenge.title },
      ]);
    },

    async announce(actor: Actor, challengeId: string, body: string): Promise<void> {
      const challenge = await deps.challenges.visibleChallenge(actor, challengeId);
      if (!isTeamVoice(actor, challenge)) throw new Forbidden(message('community.question.announceRefused'));
      await add(actor, challenge, { kind: 'announcement', body }, () => ['challenge.announced', { challengeId, byId: actor.id, title: challenge.title, text: body.slice(0, 140) }]);
    },
  };
}

export type Questions = ReturnType<typeof createQuestions>;
