import type { Actor } from '../../shared/actor.ts';
import { COMMENTS, REPLIES } from './texts.ts';
import { fewAtATime, sequence, type SeededIdea, type Story } from './kit.ts';
import { on, spread } from './story-clock.ts';

/**
 * The crowd at work on approved ideas, through the same services as their clicks: each voter
 * votes for `votesEach` ideas (never their own; better ideas, earlier in the list, more often),
 * and `threads` ideas get a comment with a reply. Each vote falls on a day between the idea's
 * approval (`approvedAfter` days after it came in) and `until` (days from now), each thread in the
 * day before `until`.
 */
export async function crowdVotesAndTalks(
  story: Story,
  ideas: SeededIdea[],
  options: { voters: Actor[]; votesEach: number; threads: number; seed: number; approvedAfter: number; until: number },
): Promise<void> {
  const random = sequence(options.seed);
  const when = sequence(options.seed + 100);
  const approvedOn = (idea: SeededIdea) => Math.min(idea.day + options.approvedAfter + 0.1, options.until);
  const voteDay = (idea: SeededIdea) => approvedOn(idea) + (options.until - approvedOn(idea)) * when();
  // Threads start in the chapter's last day: after its approvals, whose notices come first.
  const talkDay = (idea: SeededIdea) => Math.max(approvedOn(idea), options.until - 0.8 * when());
  // Chosen before any vote is cast, so the demo is the same on every run whatever the timing.
  const ballots = options.voters.map((voter) => {
    const chosen = new Set<SeededIdea>();
    for (let attempt = 0; chosen.size < options.votesEach && attempt < options.votesEach * 4; attempt++) {
      // Squaring skews the pick towards the start of the list: a visible favourite emerges.
      const candidate = ideas[Math.floor(random() ** 2 * ideas.length)]!;
      if (candidate.author.id !== voter.id) chosen.add(candidate);
    }
    return { voter, chosen: [...chosen].map((idea) => ({ idea, day: voteDay(idea) })) };
  });
  await fewAtATime(ballots, async ({ voter, chosen }) => {
    for (const { idea, day } of chosen) await on(day, () => story.services.votes.castVote(voter, idea.id));
  });
  for (let n = 0; n < Math.min(options.threads, ideas.length); n++) {
    const idea = ideas[n]!;
    const commenter = options.voters[(n * 5 + 1) % options.voters.length]!;
    const replier = options.voters[(n * 5 + 3) % options.voters.length]!;
    if (commenter.id === idea.author.id || replier.id === idea.author.id) continue;
    const day = talkDay(idea);
    const parentId = await on(day, () => story.services.comments.addComment(commenter, idea.id, { body: COMMENTS[n % COMMENTS.length]! }));
    // The comment's notices before the reply's: the author's inbox tells them in order.
    await story.settled();
    // The reply, a few hours later (at the latest on `until`).
    await on(Math.min(day + 0.1, options.until), () => story.services.comments.addComment(replier, idea.id, { body: REPLIES[n % REPLIES.length]!, parentId }));
  }
}

/** Members comparing pairs of ideas (the pairwise page's answers), never their own, each on a day of `days`. */
export async function crowdCompares(story: Story, challengeId: string, ideas: SeededIdea[], comparers: Actor[], pairsEach: number, days: [number, number]): Promise<void> {
  const random = sequence(7);
  const answers = comparers.flatMap((member) => {
    const others = ideas.filter((idea) => idea.author.id !== member.id);
    return Array.from({ length: pairsEach }, () => {
      const [left, right] = [others[Math.floor(random() * others.length)]!, others[Math.floor(random() * others.length)]!];
      // The idea earlier in the list wins three times out of four: the crowd agrees, roughly.
      const better = ideas.indexOf(left) < ideas.indexOf(right) ? 'left' : 'right';
      const choice = random() < 0.75 ? better : better === 'left' ? 'right' : 'left';
      return { member, left, right, choice } as const;
    }).filter((answer) => answer.left !== answer.right);
  });
  await fewAtATime(comparers, async (member, index) => {
    const day = spread(days[0], days[1], index, comparers.length);
    for (const answer of answers.filter((candidate) => candidate.member === member)) {
      await on(day, () => story.services.comparisons.answer(member, challengeId, { leftId: answer.left.id, rightId: answer.right.id, choice: answer.choice }));
    }
  });
}
