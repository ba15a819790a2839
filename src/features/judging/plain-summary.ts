import { message, type Message, type Text } from '../../i18n/i18n.ts';
import { roundTo } from '../../shared/rounding.ts';
import { ALPHA_DOUBTFUL } from './agreement.ts';

// Krippendorff's usual reading: from 0.8 the judges' scores can be relied on.
const ALPHA_GOOD = 0.8;
// Scorecards total 100 points: a judge whose fitted leniency adds or takes 5 or more is worth naming.
const LENIENCY_WORTH_SAYING = 5;

type Input = {
  agreement: { alpha: number | null };
  criteria: ReadonlyArray<{ name: string; highlighted: boolean }>;
  judges: ReadonlyArray<{ name: Text; leniency: number | null }>;
};

/**
 * The ranking's statistics in a few plain sentences, for staff who do not read Krippendorff's
 * alpha: how well the judges agree, where they disagree, who scores high or low (and that the
 * calibrated ranking corrects for it). How settled the winners are is `describeLine`'s line.
 */
export function plainSummary({ agreement, criteria, judges }: Input): Message[] {
  const lines: Message[] = [];
  const { alpha } = agreement;
  if (alpha === null) lines.push(message('judging.summary.tooFew'));
  else if (alpha >= ALPHA_GOOD) lines.push(message('judging.summary.agreeWell'));
  else if (alpha >= ALPHA_DOUBTFUL) lines.push(message('judging.summary.mostlyAgree'));
  else lines.push(message('judging.summary.disagree'));
  const disputed = criteria.filter((criterion) => criterion.highlighted).map((criterion) => message('judging.summary.quoted', { name: criterion.name }));
  if (disputed.length) {
    // "“A”, “B” and “C”": the names joined by commas, the last by "and" in the reader's language.
    const list = disputed.length === 1 ? disputed[0]! : message('judging.summary.and', { list: joined(disputed.slice(0, -1)), last: disputed.at(-1)! });
    lines.push(message('judging.summary.disputed', { criteria: list }));
  }
  for (const judge of judges) {
    if (judge.leniency === null || Math.abs(judge.leniency) < LENIENCY_WORTH_SAYING) continue;
    const points = roundTo(Math.abs(judge.leniency));
    lines.push(message(judge.leniency > 0 ? 'judging.summary.higher' : 'judging.summary.lower', { name: judge.name, points }));
  }
  return lines;
}

/** Messages joined by ", " as one message, each translated where it is shown. */
function joined(parts: Message[]): Message {
  return parts.slice(1).reduce<Message>((list, part) => message('judging.summary.comma', { list, next: part }), parts[0]!);
}
