import { crowdVotesAndTalks } from './crowd.ts';
import { approve, decide, launchChallenge, movePhases, settleSchedule, submitIdeas, type Story } from './kit.ts';
import { on, spread } from './story-clock.ts';
import { STORIES } from './texts.ts';

// Places in STORIES.ideas. The podcast idea is approved; “Customer stories podcast” (13), its
// likely duplicate, waits in the queue. “Buy followers” is rejected.
const PODCAST = 2;
const FOLLOWERS = 14;
const REPORTED = 19;
const SCREENED = [0, 1, PODCAST, 3, 4, 5, 6, 7, 8, 10, 11, 16, REPORTED];

/**
 * A challenge in curation for the marketing backlog: ideas still waiting in the copilot's
 * queue (among them a likely duplicate of an approved one), a reported idea, a shortlist begun.
 */
export async function tellCurationChallenge(story: Story): Promise<string> {
  const { services, cast } = story;
  const challenge = await launchChallenge(
    story,
    STORIES,
    {
      prizes: 'First prize: your story told by our film crew\nRunner-up: €500',
      terms: 'By submitting you allow us to contact you about your story.',
      targetBacklog: 'marketing',
      judges: cast.staff.email,
    },
    -22,
  );
  story.progress('challenge in curation: ideas and screening');
  const authors = [...cast.crowd.slice(6), cast.member, cast.specialist];
  const ideas = await submitIdeas(
    story,
    challenge.id,
    STORIES.ideas,
    (n) => authors[(n * 3 + 1) % authors.length]!,
    [-21, -3],
    async (idea, n) => {
      // Approved within a day, the last ones on the day the challenge closed for ideas.
      if (SCREENED.includes(n)) await approve(story, cast.copilot, challenge.id, idea, '', Math.min(0.8, -2.2 - idea.day));
      if (n === FOLLOWERS) await decide(story, challenge.id, idea, { kind: 'reject', reason: 'against-terms', message: 'Bought followers break the terms of every social network.' }, 0.5);
    },
  );
  const approved = SCREENED.map((n) => ideas[n]!);
  await crowdVotesAndTalks(story, approved, { voters: cast.crowd, votesEach: 2, threads: 3, seed: 3, approvedAfter: 0.8, until: -2.1 });
  for (const [n, reporter] of cast.crowd.slice(0, 2).entries()) {
    if (reporter.id === ideas[REPORTED]!.author.id) continue;
    await on(-2.6 + n * 0.2, () =>
      services.reports.report(reporter, { targetType: 'idea', ideaId: ideas[REPORTED]!.id, reason: 'ip-concern', note: 'Would this publish data about our company without asking?' }),
    );
  }

  story.progress('challenge in curation: shortlist');
  await on(-2, () => movePhases(story, challenge, ['curation'], 'Submissions closed'));
  for (const [n, idea] of [0, 6, 1].entries()) {
    await on(spread(-1.8, -0.4, n, 3), () => services.shortlist.add(cast.copilot, challenge.id, ideas[idea]!.id, 'A story the crowd clearly wants.'));
  }
  await settleSchedule(story, challenge, { open: -21, curation: -2, judging: 9, decided: 20, closed: 30 });
  return challenge.id;
}
