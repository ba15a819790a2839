import { roundTo } from '../../shared/rounding.ts';
import { ALPHA_DOUBTFUL } from './agreement.ts';

// Krippendorff's usual reading: from 0.8 the judges' scores can be relied on.
const ALPHA_GOOD = 0.8;
// Scorecards total 100 points: a judge whose fitted leniency adds or takes 5 or more is worth naming.
const LENIENCY_WORTH_SAYING = 5;

type Input = {
  agreement: { alpha: number | null };
  criteria: ReadonlyArray<{ name: string; highlighted: boolean }>;
  judges: ReadonlyArray<{ name: string; leniency: number | null }>;
};

/**
 * The ranking's statistics in a few plain sentences, for staff who do not read Krippendorff's
 * alpha: how well the judges agree, where they disagree, who scores high or low (and that the
 * calibrated ranking corrects for it). How settled the winners are is `describeLine`'s line.
 */
export function plainSummary({ agreement, criteria, judges }: Input): string[] {
  const lines: string[] = [];
  const { alpha } = agreement;
  if (alpha === null) lines.push('Too few scorecards yet to say how well the judges agree.');
  else if (alpha >= ALPHA_GOOD) lines.push('The judges agree well.');
  else if (alpha >= ALPHA_DOUBTFUL) lines.push('The judges mostly agree.');
  else lines.push('The judges disagree enough that their scores are worth a second look.');
  const disputed = criteria.filter((criterion) => criterion.highlighted).map((criterion) => `“${criterion.name}”`);
  if (disputed.length) lines.push(`They disagree most on ${disputed.length === 1 ? disputed[0] : `${disputed.slice(0, -1).join(', ')} and ${disputed.at(-1)}`}.`);
  for (const judge of judges) {
    if (judge.leniency === null || Math.abs(judge.leniency) < LENIENCY_WORTH_SAYING) continue;
    const points = roundTo(Math.abs(judge.leniency));
    lines.push(`${judge.name} scores about ${points} points out of 100 ${judge.leniency > 0 ? 'higher' : 'lower'} than the others; the calibrated ranking corrects for it.`);
  }
  return lines;
}
