import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import type { Logger } from '../../shared/logger.ts';
import { Ballot, BALLOTS_COMPLETE, ballotPartId, ballotPartIds, Vote } from './vote.model.ts';

/**
 * Ballot documents read recently, by id. Every list page a member opens marks its vote buttons
 * from their ballot: round trips to the database per page view, for documents that change only
 * when they vote. Kept CONVERGENCE_BOUND_MS at most (a vote through another process shows within
 * that, as its count does) and each dropped here as soon as this process writes it.
 */
const recentBallots = createKeyedCache(async (id: string): Promise<ReadonlySet<string>> => new Set((await Ballot.findById(id).lean())?.ideaIds ?? []), {
  ttlMs: CONVERGENCE_BOUND_MS,
  maxKeys: 10_000,
});

/** Adds ideas to a person's ballot in a challenge; an upsert that lost the race to create it retries as an update. */
async function addToBallot(id: string, ideaIds: string[]): Promise<void> {
  const update = () => Ballot.updateOne({ _id: id }, { $addToSet: { ideaIds: { $each: ideaIds } } }, { upsert: true });
  try {
    await update();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await update();
  } finally {
    recentBallots.forget(id);
  }
}

export const markVoted = (challengeId: string, userId: string, ideaId: string) => addToBallot(ballotPartId(challengeId, userId, ideaId), [ideaId]);

/** Takes the idea out of its part, and out of the ballot stored before parts (a no-op where there is none). */
export async function unmarkVoted(challengeId: string, userId: string, ideaId: string): Promise<void> {
  const [whole] = ballotPartIds(challengeId, userId);
  await Promise.all(
    [whole!, ballotPartId(challengeId, userId, ideaId)].map(async (id) => {
      try {
        await Ballot.updateOne({ _id: id }, { $pull: { ideaIds: ideaId } });
      } finally {
        recentBallots.forget(id);
      }
    }),
  );
}

/** The ideas the person voted for in the challenge: a few lookups, each shared by the pages they open within CONVERGENCE_BOUND_MS. */
export async function votedIdeas(challengeId: string, userId: string): Promise<ReadonlySet<string>> {
  const parts = await Promise.all(ballotPartIds(challengeId, userId).map((id) => recentBallots.get(id)));
  return new Set(parts.flatMap((part) => [...part]));
}

/**
 * Whether every stored vote is in a ballot, so a missing ballot means "no votes". A database
 * from before ballots existed gets them built once, in the background (a scan of the votes);
 * until then callers read `Vote` itself. Asked once per process until it is true.
 */
export function ballotsCompleteness(logger?: Logger): () => Promise<boolean> {
  let complete = false;
  let building: Promise<void> | undefined;
  return async () => {
    if (complete) return true;
    if (await Ballot.exists({ _id: BALLOTS_COMPLETE })) return (complete = true);
    if (!(await Vote.exists({}))) {
      await addToBallot(BALLOTS_COMPLETE, []);
      return (complete = true);
    }
    building ??= buildBallots()
      .then(() => {
        complete = true;
      })
      .catch((error: unknown) => {
        building = undefined;
        logger?.error({ err: error }, 'building the voters’ ballots failed; list pages read each vote until it succeeds');
      });
    return false;
  };
}

/**
 * Puts every stored vote in its ballot, then marks them complete. A vote withdrawn while this
 * runs may be put back in its ballot: the button shows "Voted" until the voter withdraws again,
 * which removes it (withdrawing a vote that is gone still clears the ballot).
 */
async function buildBallots(): Promise<void> {
  const ballots = new Map<string, string[]>();
  for await (const vote of Vote.find({}, { ideaId: 1, challengeId: 1, userId: 1 }).lean().cursor()) {
    const id = ballotPartId(String(vote.challengeId), String(vote.userId), String(vote.ideaId));
    ballots.set(id, [...(ballots.get(id) ?? []), String(vote.ideaId)]);
  }
  for (const [id, ideaIds] of ballots) await addToBallot(id, ideaIds);
  await addToBallot(BALLOTS_COMPLETE, []);
}
