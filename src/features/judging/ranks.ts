/**
 * Ranks and rank intervals from repeated draws of every idea's value. Rank 1 is the best.
 * Shared by the calibrated ranking (posterior draws) and the baselines (bootstrap resamples).
 */

export type RankInterval = { low: number; high: number };

/** Competition ranks (1, 2, 2, 4) by descending value: tied ideas share the better rank. */
export function ranksOf(values: ArrayLike<number>): Int32Array {
  const order = sortedDescending(values);
  const ranks = new Int32Array(values.length);
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const previous = position > 0 ? order[position - 1]! : -1;
    ranks[index] = previous >= 0 && values[previous] === values[index] ? ranks[previous]! : position + 1;
  }
  return ranks;
}

/**
 * Indices by descending value, ties by index. An insertion sort on typed arrays: the lists are
 * a shortlist long (tens of ideas) and this runs once per draw, thousands of times per ranking.
 */
export function sortedDescending(values: ArrayLike<number>, into?: Int32Array): Int32Array {
  const order = into ?? new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let position = i;
    while (position > 0 && values[order[position - 1]!]! < value) {
      order[position] = order[position - 1]!;
      position--;
    }
    order[position] = i;
  }
  return order;
}

/**
 * Collects draws of every idea's value and returns each idea's central `level` rank interval
 * (for 0.9: the 5th and 95th percentiles of its rank over the draws).
 */
export class RankTally {
  private readonly counts: Int32Array;
  private readonly order: Int32Array;
  private draws = 0;
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.counts = new Int32Array(size * size);
    this.order = new Int32Array(size);
  }

  /** Adds one draw; returns its ideas by descending value (reused by the next call). */
  add(values: ArrayLike<number>): Int32Array {
    const order = sortedDescending(values, this.order);
    for (let position = 0; position < this.size; position++) this.counts[order[position]! * this.size + position]! += 1;
    this.draws++;
    return order;
  }

  intervals(level: number): RankInterval[] {
    // Percentile positions among the sorted draws (nearest rank, inclusive): with 200 draws and
    // level 0.9, the 10th smallest and the 10th largest rank.
    const lowCount = Math.max(1, Math.ceil(((1 - level) / 2) * this.draws));
    const highCount = Math.max(1, Math.ceil(((1 + level) / 2) * this.draws));
    const result: RankInterval[] = [];
    for (let idea = 0; idea < this.size; idea++) {
      let cumulative = 0;
      let low = 0;
      let high = 0;
      for (let rank = 0; rank < this.size; rank++) {
        cumulative += this.counts[idea * this.size + rank]!;
        if (!low && cumulative >= lowCount) low = rank + 1;
        if (cumulative >= highCount) {
          high = rank + 1;
          break;
        }
      }
      result.push({ low, high: high || this.size });
    }
    return result;
  }
}
