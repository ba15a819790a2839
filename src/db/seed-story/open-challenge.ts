import { crowdCompares, crowdVotesAndTalks } from './crowd.ts';
import { approve, launchChallenge, settleSchedule, submitIdeas, type SeededIdea, type Story } from './kit.ts';
import { on } from './story-clock.ts';
import { OFFLINE } from './texts.ts';

const WAITING = 8;
const QUESTIONS = [
  { ask: 'Does “offline” include the desktop app, or only phones?', answer: 'Both: tell us where you need it most in your idea.' },
  { ask: 'Can we submit more than one idea?', answer: 'Yes, as many as you like. One idea per submission, please.' },
  { ask: 'Will ideas about security count, or only features?' },
];

/**
 * The open challenge: 40+ ideas, most approved and a few waiting for the copilot; votes,
 * comments with replies and mentions, pairwise comparisons, questions and an announcement.
 */
export async function tellOpenChallenge(story: Story): Promise<string> {
  const { services, cast } = story;
  const challenge = await launchChallenge(
    story,
    OFFLINE,
    {
      prizes: 'First prize: €5,000 and a visit to our lab\nRunner-up: €1,500\nCrowd favourite: a year free',
      terms: 'By submitting you allow us to use and adapt your idea. You keep the right to be credited.',
      targetBacklog: 'product',
      judges: [cast.staff, cast.admin].map((judge) => judge.email).join('\n'),
    },
    -6.5,
  );
  story.progress('open challenge: ideas');
  const authors = [cast.member, cast.specialist, ...cast.crowd];
  // Approved within half a day: the copilot keeps up while the challenge is young.
  const waitFrom = OFFLINE.ideas.length - WAITING;
  const ideas = await submitIdeas(
    story,
    challenge.id,
    OFFLINE.ideas,
    (n) => authors[n % authors.length]!,
    [-6, -1.5],
    async (idea, n) => {
      if (n < waitFrom) await approve(story, cast.copilot, challenge.id, idea, '', 0.4);
    },
  );
  const approved = ideas.slice(0, waitFrom);

  // Max follows from here on: his inbox gets the questions and the announcement, not 44 new ideas.
  // The days below follow each other as their steps do: each person's inbox reads newest first.
  await on(-1.8, () => services.follows.followTarget(cast.member, 'challenge', challenge.id));
  story.progress('open challenge: votes, comments, comparisons');
  await crowdVotesAndTalks(story, approved, { voters: cast.crowd, votesEach: 5, threads: 8, seed: 4, approvedAfter: 0.4, until: -0.9 });
  await on(-0.8, () => mentionTheMember(story, approved));
  await crowdCompares(story, challenge.id, approved, cast.crowd.slice(0, 12), 6, [-1.5, -0.9]);
  for (const [n, question] of QUESTIONS.entries()) await on(-0.7 + n * 0.1, () => services.questions.ask(cast.crowd[n * 4]!, challenge.id, question.ask));
  const view = await services.challenges.visibleChallenge(cast.copilot, challenge.id);
  const board = await services.questions.board(cast.copilot, view);
  for (const question of QUESTIONS) {
    const asked = board.questions.find((entry) => entry.bodyHtml.includes(question.ask.slice(0, 20)));
    if (question.answer && asked) await on(-0.4, () => services.questions.answer(cast.copilot, challenge.id, asked.id, question.answer!));
  }
  await on(-0.2, () =>
    services.questions.announce(cast.copilot, challenge.id, 'Thank you for 40 ideas in the first week! Voting stays open until curation starts; compare a few pairs to help us rank them.'),
  );
  await settleSchedule(story, challenge, { open: -6, curation: 12, judging: 22, decided: 32, closed: 42 });
  return challenge.id;
}

/** The demo member's own idea gets a thread that names them, and a reply to their comment. */
async function mentionTheMember(story: Story, ideas: SeededIdea[]): Promise<void> {
  const { services, cast } = story;
  const own = ideas.find((idea) => idea.author.id === cast.member.id)!;
  const [first, second] = cast.crowd;
  const question = await services.comments.addComment(first!, own.id, { body: `@${cast.member.name} would this work for the stock counts in our basement store too?` });
  await services.comments.addComment(cast.member, own.id, { body: `@${first!.name} yes, that is exactly the case I had in mind.`, parentId: question });
  const other = ideas.find((idea) => idea.author.id === second!.id)!;
  const mine = await services.comments.addComment(cast.member, other.id, { body: 'We need this for our delivery drivers.' });
  // The first mention's notice before the second's: the member's inbox tells them in order.
  await story.settled();
  await services.comments.addComment(second!, other.id, { body: `Thanks @${cast.member.name}: I added the delivery case to the description.`, parentId: mine });
}
