/** The smallest group an aggregate may show on its own: fewer people could be singled out. */
export const MIN_GROUP = 5;

export type Group<Metric extends string> = { key: string; people: number; values: Record<Metric, number> };
export type ShownGroup<Metric extends string> = Group<Metric> & { label: string; folded: string[]; tooFew: boolean };

/**
 * Folds every group of fewer than MIN_GROUP people into "other", so no one can be singled out
 * through a breakdown. When "other" itself has fewer than MIN_GROUP people its figures are
 * withheld too ("fewer than 5"), and the caller shows no number for it. Labels are the reader's:
 * `otherLabel` for "other", `labelOf` for a group's key (folded groups keep their keys).
 */
export function foldSmallGroups<Metric extends string>(
  groups: Array<Group<Metric>>,
  metrics: readonly Metric[],
  otherLabel: string,
  labelOf: (key: string) => string = (key) => key,
): Array<ShownGroup<Metric>> {
  const shown: Array<ShownGroup<Metric>> = [];
  const zero = () => Object.fromEntries(metrics.map((metric) => [metric, 0])) as Record<Metric, number>;
  const other: ShownGroup<Metric> = { key: 'other', label: otherLabel, people: 0, values: zero(), folded: [], tooFew: false };
  for (const group of groups) {
    if (group.key !== 'other' && group.people >= MIN_GROUP) {
      shown.push({ ...group, label: labelOf(group.key), folded: [], tooFew: false });
      continue;
    }
    other.people += group.people;
    for (const metric of metrics) other.values[metric] += group.values[metric];
    if (group.key !== 'other') other.folded.push(group.key);
  }
  shown.sort((a, b) => b.people - a.people || a.key.localeCompare(b.key));
  if (other.people > 0) shown.push({ ...other, tooFew: other.people < MIN_GROUP });
  return shown;
}
