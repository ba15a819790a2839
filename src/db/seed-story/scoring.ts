import { scorecardInput } from '../../features/judging/judging.schemas.ts';
import type { Actor } from '../../shared/actor.ts';
import { movePhases, sequence, until, type ChallengeStory, type SeededIdea, type Story } from './kit.ts';
import { on, spread } from './story-clock.ts';

const FEEDBACK = ['Clear and well argued.', 'A real problem; the solution needs more detail.', 'Strong for small teams, less so for large ones.', 'We like the ambition; cost is the question.'];

/**
 * Curation to judging: Cleo shortlists the ideas, staff set three judges per idea and start
 * judging, and the seed waits until the shortlist is assigned (a subscriber of the phase change).
 * `days`: when curation and judging started (days from now); the shortlist grows in between.
 */
export async function judgeShortlist(
  story: Story,
  challenge: ChallengeStory,
  shortlisted: SeededIdea[],
  options: { note: string; crowdWeight: number; days: { curation: number; judging: number } },
): Promise<void> {
  const { services, cast } = story;
  const { curation, judging } = options.days;
  await on(curation, () => movePhases(story, challenge, ['curation'], 'Submissions closed'));
  for (const [n, idea] of shortlisted.entries()) {
    await on(spread(curation + 0.5, judging - 1.5, n, shortlisted.length), () => services.shortlist.add(cast.copilot, challenge.id, idea.id, options.note));
  }
  await on(judging - 1, () => services.judging.configure(cast.staff, challenge.id, { mode: 'k', perIdea: 3, blind: false, crowdWeight: options.crowdWeight }));
  await on(judging, async () => {
    await movePhases(story, challenge, ['judging'], 'Shortlist frozen');
    await until(async () => (await services.judging.read(challenge.id)).assignments.length === shortlisted.length, 'the shortlist assigned to the judges');
  });
}

/**
 * A judge fills a scorecard on `day` (days from now): `quality` (0–1) is the idea's merit,
 * `leniency` the judge's habit (a lenient judge scores everything higher: the calibrated ranking
 * corrects for it).
 */
export async function score(story: Story, judge: Actor, challengeId: string, ideaId: string, quality: number, leniency: number, day: number, submit = true): Promise<void> {
  const random = sequence(ideaId.charCodeAt(23) * 31 + judge.id.charCodeAt(23));
  const scoreOf = () => String(Math.max(1, Math.min(10, Math.round(2 + quality * 6 + leniency + (random() - 0.5) * 2))));
  const input = scorecardInput(2).parse({
    score_0: scoreOf(),
    score_1: scoreOf(),
    comment: FEEDBACK[Math.floor(random() * FEEDBACK.length)],
    intent: submit ? 'submit' : 'save',
  });
  await on(day, () => story.services.scorecards.save(judge, challengeId, ideaId, input));
}
