import { crowdVotesAndTalks } from './crowd.ts';
import { approve, decide, launchChallenge, settleSchedule, submitIdeas, type Story } from './kit.ts';
import { judgeShortlist, score } from './scoring.ts';
import { spread } from './story-clock.ts';
import { INVOICES } from './texts.ts';

/**
 * A challenge in judging: the demo staff judge its shortlist. Ada (lenient) and Jordan have
 * scored; Sam has three in, one draft, and the rest to fill.
 */
export async function tellJudgingChallenge(story: Story): Promise<string> {
  const { cast } = story;
  const challenge = await launchChallenge(
    story,
    INVOICES,
    {
      prizes: 'First prize: €3,000\nRunner-up: €1,000',
      terms: 'By submitting you allow us to use and adapt your idea.',
      targetBacklog: 'product',
      judges: [cast.staff, cast.admin, cast.judge].map((judge) => judge.email).join('\n'),
    },
    -31,
  );
  story.progress('challenge in judging: ideas');
  const authors = [cast.specialist, cast.member, ...cast.crowd.slice(12)];
  const ideas = await submitIdeas(
    story,
    challenge.id,
    INVOICES.ideas,
    (n) => authors[(n * 2) % authors.length]!,
    [-30, -15],
    async (idea, n) => {
      if (n < 11) await approve(story, cast.copilot, challenge.id, idea);
      if (n === 11) await decide(story, challenge.id, idea, { kind: 'reject', reason: 'exists-already', message: 'Billing history already has search: look under Billing → History.' }, 1);
    },
  );
  await crowdVotesAndTalks(story, ideas.slice(0, 11), { voters: cast.crowd, votesEach: 2, threads: 3, seed: 2, approvedAfter: 1, until: -12.5 });

  story.progress('challenge in judging: shortlist and scorecards');
  const shortlisted = ideas.slice(0, 10);
  await judgeShortlist(story, challenge, shortlisted, { note: 'Many votes and a clear problem.', crowdWeight: 0, days: { curation: -12, judging: -3 } });
  for (const [n, idea] of shortlisted.entries()) {
    const quality = 1 - n / shortlisted.length;
    const day = spread(-2.8, -0.5, n, shortlisted.length);
    await score(story, cast.admin, challenge.id, idea.id, quality, 2.5, day);
    if (n < 6) await score(story, cast.judge, challenge.id, idea.id, quality, -0.5, day + 0.1);
    if (n < 4) await score(story, cast.staff, challenge.id, idea.id, quality, 0, day + 0.2, n < 3);
  }
  await settleSchedule(story, challenge, { open: -30, curation: -12, judging: -3, decided: 11, closed: 25 });
  return challenge.id;
}
