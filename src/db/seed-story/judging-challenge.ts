import { crowdVotesAndTalks, type SeededIdea } from './crowd.ts';
import { approve, fewAtATime, createChallenge, movePhases, settleSchedule, submitIdea, type Story } from './kit.ts';
import { assigned, CRITERIA, score } from './scoring.ts';
import { INVOICES } from './texts.ts';

/**
 * A challenge in judging: the demo staff judge its shortlist. Ada (lenient) and Jordan have
 * scored; Sam has three in, one draft, and the rest to fill.
 */
export async function tellJudgingChallenge(story: Story): Promise<string> {
  const { services, cast } = story;
  const challenge = await createChallenge(story, {
    title: INVOICES.title,
    summary: INVOICES.summary,
    brief: INVOICES.brief,
    prizes: 'First prize: €3,000\nRunner-up: €1,000',
    terms: 'By submitting you allow us to use and adapt your idea.',
    criteria: CRITERIA,
    targetBacklog: 'product',
    copilots: cast.copilot.email,
    judges: [cast.staff, cast.admin, cast.judge].map((judge) => judge.email).join('\n'),
  });
  await movePhases(story, challenge, ['open'], 'Launch');
  story.progress('challenge in judging: ideas');
  const authors = [cast.specialist, cast.member, ...cast.crowd.slice(12)];
  const ideas: SeededIdea[] = await fewAtATime(INVOICES.ideas, async (text, n) => {
    const author = authors[(n * 2) % authors.length]!;
    return { id: await submitIdea(story, author, challenge.id, text), author, title: text.title };
  });
  await fewAtATime(ideas.slice(0, 11), (idea) => approve(story, cast.copilot, challenge.id, idea.id));
  await services.screening.decide(cast.copilot, challenge.id, ideas[11]!.id, { kind: 'reject', reason: 'exists-already', message: 'Billing history already has search: look under Billing → History.', responseId: '' });
  await crowdVotesAndTalks(story, ideas.slice(0, 11), { voters: cast.crowd, votesEach: 2, threads: 3, seed: 2 });

  story.progress('challenge in judging: shortlist and scorecards');
  await movePhases(story, challenge, ['curation'], 'Submissions closed');
  const shortlisted = ideas.slice(0, 10);
  for (const idea of shortlisted) await services.shortlist.add(cast.copilot, challenge.id, idea.id, 'Many votes and a clear problem.');
  await services.judging.configure(cast.staff, challenge.id, { mode: 'k', perIdea: 3, blind: false, crowdWeight: 0 });
  await movePhases(story, challenge, ['judging'], 'Shortlist frozen');
  await assigned(story, challenge.id, shortlisted.length);
  for (const [n, idea] of shortlisted.entries()) {
    const quality = 1 - n / shortlisted.length;
    await score(story, cast.admin, challenge.id, idea.id, quality, 2.5);
    if (n < 6) await score(story, cast.judge, challenge.id, idea.id, quality, -0.5);
    if (n < 4) await score(story, cast.staff, challenge.id, idea.id, quality, 0, n < 3);
  }
  await settleSchedule(story, challenge, { open: -30, curation: -12, judging: -3, decided: 11, closed: 25 });
  return challenge.id;
}
