import { seededRandom } from '../community/pairwise.ts';

/**
 * Seeded randomness for judging: assignment tie-breaks, rank-interval draws and the simulation all
 * have to give the same answer for the same seed, so that a ranking page does not flicker on
 * reload and a simulation can be rerun. Reuses the pairwise module's mulberry32 generator.
 */
export type Random = () => number;

/** A seed from a number or a string (e.g. a challenge id), hashed with FNV-1a. */
export function seedOf(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let hash = 0x811c9dc5;
  for (let index = 0; index < seed.length; index++) hash = Math.imul(hash ^ seed.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export function randomFrom(seed: number | string): Random {
  return seededRandom(seedOf(seed));
}

/** Standard normal draws (Box–Muller; the second value of each pair is kept for the next call). */
export function normalFrom(random: Random): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // 1 − u keeps the logarithm finite: mulberry32 can return 0 but never 1.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** A seeded Fisher–Yates shuffle (a copy). */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
