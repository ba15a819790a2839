import { scorecardInput } from '../../features/judging/judging.schemas.ts';
import type { Actor } from '../../shared/actor.ts';
import { sequence, until, type Story } from './kit.ts';

/** Two criteria on 1–10, the scorecard every demo challenge uses. */
export const CRITERIA = 'Impact | 2 | 1-10 | How many customers benefit, and how much\nFeasibility | 1 | 1-10 | Could we build it this year?';

const FEEDBACK = ['Clear and well argued.', 'A real problem; the solution needs more detail.', 'Strong for small teams, less so for large ones.', 'We like the ambition; cost is the question.'];

/** Waits until judging assigned the frozen shortlist (a subscriber of the phase change does it). */
export async function assigned(story: Story, challengeId: string, count: number): Promise<void> {
  await until(async () => (await story.services.judging.read(challengeId)).assignments.length === count, 'the shortlist assigned to the judges');
}

/**
 * A judge fills a scorecard: `quality` (0–1) is the idea's merit, `leniency` the judge's habit
 * (a lenient judge scores everything higher: the calibrated ranking corrects for it).
 */
export async function score(story: Story, judge: Actor, challengeId: string, ideaId: string, quality: number, leniency: number, submit = true): Promise<void> {
  const random = sequence(ideaId.charCodeAt(23) * 31 + judge.id.charCodeAt(23));
  const scoreOf = () => String(Math.max(1, Math.min(10, Math.round(2 + quality * 6 + leniency + (random() - 0.5) * 2))));
  const input = scorecardInput(2).parse({
    score_0: scoreOf(),
    score_1: scoreOf(),
    comment: FEEDBACK[Math.floor(random() * FEEDBACK.length)],
    intent: submit ? 'submit' : 'save',
  });
  await story.services.scorecards.save(judge, challengeId, ideaId, input);
}
