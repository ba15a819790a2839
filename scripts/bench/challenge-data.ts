/**
 * The ideas of the benchmark's 50-idea challenge, as plain data (no database here): the app
 * child seeds them (seed-bench-challenge.ts) and the bare app renders them
 * (bare-idea-list-server.ts), so both lists show the same 50 rows. Given the same `now`, both
 * processes compute the same ids, texts and dates.
 *
 * Each idea looks like one of `seedLargeChallenge`'s (src/db/seed-challenges.ts): same title,
 * summary and tag patterns, authored by the same 200 crowd members, one minute apart. So the
 * 50-idea page and the first page of the 10,000-idea challenge show rows of the same shape.
 */

/** Not one of seed-challenges.ts's fixed ids (…01 to …03). */
export const FIFTY_CHALLENGE_ID = '64d000000000000000000050';
export const FIFTY_IDEAS = 50;

/** The large challenge's size: `seedLargeChallenge(LARGE_IDEAS, …)`, at LARGE_CHALLENGE_ID. */
export const LARGE_IDEAS = 10_000;

// As in seedLargeChallenge.
const CROWD_SIZE = 200;
const WORDS = ['export', 'dashboard', 'mobile', 'offline', 'search', 'report', 'invoice', 'reminder', 'calendar', 'sharing', 'template', 'bulk', 'filter', 'dark mode', 'shortcut', 'integration'];
const SEGMENTS = ['Retail', 'Healthcare', 'Finance', 'Education', 'Agencies', 'Public sector'];

export type BenchIdea = {
  id: string;
  title: string;
  summary: string;
  tags: string[];
  /** `crowd-${authorIndex}@demo.cocreate.local`, named `Crowd Member ${authorIndex}` (seedLargeChallenge's users). */
  authorIndex: number;
  authorName: string;
  submittedAt: Date;
};

/** The 50 ideas, oldest first (the order they are inserted in); the newest was submitted at `now`. */
export function fiftyIdeas(now: number): BenchIdea[] {
  return Array.from({ length: FIFTY_IDEAS }, (_, n) => {
    const authorIndex = n % CROWD_SIZE;
    return {
      // Fixed ObjectIds (24 hex digits), distinct from every generated one.
      id: `64d0000000000000b0${n.toString(16).padStart(6, '0')}`,
      title: `Idea ${n + 1}: ${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]}`,
      summary: `Better ${WORDS[n % WORDS.length]} for ${SEGMENTS[n % SEGMENTS.length]} customers.`,
      tags: [WORDS[n % WORDS.length]!],
      authorIndex,
      authorName: `Crowd Member ${authorIndex}`,
      submittedAt: new Date(now - (FIFTY_IDEAS - 1 - n) * 60_000),
    };
  });
}
