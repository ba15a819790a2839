import { answerInput } from '../../features/judging/appeals.schemas.ts';
import { winnersInput } from '../../features/judging/winners.schemas.ts';
import type { ItemStatus } from '../../features/backlogs/workflow.ts';
import { crowdVotesAndTalks } from './crowd.ts';
import { approve, decide, launchChallenge, movePhases, settleSchedule, submitIdeas, type Story } from './kit.ts';
import { judgeShortlist, score } from './scoring.ts';
import { on, spread } from './story-clock.ts';
import { ONBOARDING } from './texts.ts';

// Which shortlisted ideas (by their place in ONBOARDING.ideas) feed which backlog, one per column.
const PRODUCT = [0, 4, 6, 3, 10, 5];
const MARKETING = [1, 8, 12, 9, 7, 2];
const COLUMNS: ItemStatus[] = ['shipped', 'in-progress', 'planned', 'accepted', 'proposed', 'declined'];
const PATH: ItemStatus[] = ['accepted', 'planned', 'in-progress', 'shipped'];
// Days from now on which each backlog step was taken (shipped a week before the challenge closed).
const DAYS: Record<ItemStatus, number> = { proposed: -20, accepted: -19, planned: -17, 'in-progress': -14, shipped: -9, declined: -18 };
const NOTES: Partial<Record<ItemStatus, string>> = {
  accepted: 'We will do this: it is on the roadmap.',
  planned: 'Planned for the next quarter.',
  shipped: 'Shipped in release 4.2: thank you to everyone who asked for it.',
  declined: 'We are not doing this now: a new onboarding email series covers most of it. Thank you for the idea.',
};

/**
 * The finished story: a closed challenge with winners, answered appeals, and its ideas promoted
 * into both backlogs, one item in every column, so its Outcomes page is full.
 */
export async function tellClosedChallenge(story: Story): Promise<string> {
  const { services, cast } = story;
  const challenge = await launchChallenge(
    story,
    ONBOARDING,
    {
      prizes: 'First prize: €5,000 and a day with the product team\nRunner-up: €1,000',
      terms: 'By submitting you allow us to use and adapt your idea. You keep the right to be credited.',
      targetBacklog: 'product',
      judges: [cast.staff, cast.admin, cast.judge].map((judge) => judge.email).join('\n'),
      appealsEnabled: 'on',
    },
    -76,
  );
  story.progress('closed challenge: ideas');
  const authors = [cast.member, cast.specialist, ...cast.crowd];
  const ideas = await submitIdeas(
    story,
    challenge.id,
    ONBOARDING.ideas,
    (n) => authors[(n * 3) % authors.length]!,
    [-75, -50],
    async (idea, n) => {
      if (n < 14) await approve(story, cast.copilot, challenge.id, idea, 'Thank you: your idea is now public.');
      if (n === 14) await decide(story, challenge.id, idea, { kind: 'reject', reason: 'off-topic', message: 'Pricing is outside this challenge, which is about the product in the first week.' }, 2);
      if (n === 15) await decide(story, challenge.id, idea, { kind: 'request-changes', reason: '', message: 'Could you say which steps the video should show?' }, 2);
    },
  );
  await crowdVotesAndTalks(story, ideas.slice(0, 14), { voters: cast.crowd, votesEach: 3, threads: 4, seed: 1, approvedAfter: 1, until: -46 });

  story.progress('closed challenge: shortlist and judging');
  const shortlisted = ideas.slice(0, 13).filter((_, n) => n !== 11);
  await judgeShortlist(story, challenge, shortlisted, { note: 'Strong support from the crowd.', crowdWeight: 0.1, days: { curation: -45, judging: -38 } });
  for (const [n, idea] of shortlisted.entries()) {
    const quality = 1 - n / shortlisted.length;
    const day = spread(-37, -30, n, shortlisted.length);
    await score(story, cast.staff, challenge.id, idea.id, quality, 0, day);
    await score(story, cast.admin, challenge.id, idea.id, quality, 2, day + 0.3);
    await score(story, cast.judge, challenge.id, idea.id, quality, -1, day + 0.6);
  }

  story.progress('closed challenge: appeals, winners, backlogs');
  await on(-28, () => movePhases(story, challenge, ['appeals'], 'Scores published to authors'));
  const [revised, kept] = [shortlisted[5]!, shortlisted[8]!];
  await on(-27, () => services.appeals.appeal(revised.author, revised.id, 'The judges read my idea as email only; it is about the in-app checklist too.'));
  await on(-26, () => services.appeals.appeal(kept.author, kept.id, 'I think feasibility was underrated: the templates exist already.'));
  await on(-24, () =>
    services.appeals.answer(cast.staff, challenge.id, revised.id, answerInput(2).parse({ answer: 'You are right: we re-read it and raised the impact score.', score_0: '9', score_1: '7' })),
  );
  await on(-23, () =>
    services.appeals.answer(cast.staff, challenge.id, kept.id, answerInput(2).parse({ answer: 'Thank you. We checked again: the templates need a lot of new work, so the score stands.' })),
  );

  const { rows } = await services.results.ranking(cast.staff, challenge.id);
  const [first, second] = rows;
  await on(-21, () =>
    services.winners.announce(
      cast.staff,
      challenge.id,
      winnersInput(2).parse({
        intent: 'announce',
        idea_0: first!.ideaId,
        reason_0: 'Ranked first by the judges and loved by the crowd.',
        idea_1: second!.ideaId,
        reason_1: 'Close behind, and quick to build.',
      }),
    ),
  );
  for (const [backlogId, picks] of [
    ['product', PRODUCT],
    ['marketing', MARKETING],
  ] as const) {
    for (const [column, pick] of picks.entries()) await promoteAndMove(story, ideas[pick]!.id, backlogId, COLUMNS[column]!);
  }
  await on(-7, () => movePhases(story, challenge, ['closed'], 'All winners are in the backlogs'));
  await settleSchedule(story, challenge, { open: -75, curation: -45, judging: -38, appeals: -28, decided: -21, closed: -7 });
  return challenge.id;
}

async function promoteAndMove(story: Story, ideaId: string, backlogId: string, to: ItemStatus): Promise<void> {
  const { services, cast } = story;
  const { item } = await on(DAYS.proposed, () => services.backlogItems.promote(cast.staff, ideaId, backlogId));
  const mover = { actor: cast.staff, via: 'web' as const };
  const path = to === 'declined' ? (['declined'] as ItemStatus[]) : PATH.slice(0, PATH.indexOf(to) + 1);
  for (const status of path) {
    // Each move's notices before the next move's: the author's inbox tells them in order.
    await story.settled();
    await on(DAYS[status], () => services.backlogItems.move(mover, item.id, status, NOTES[status] ?? ''));
  }
}
