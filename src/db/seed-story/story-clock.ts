import { AsyncLocalStorage } from 'node:async_hooks';

const DAY = 24 * 60 * 60 * 1000;
const RealDate = globalThis.Date;

/** How far in the past the step running now happened, in ms; none outside a story's step. */
const stepOffset = new AsyncLocalStorage<number>();
const storyNow = () => RealDate.now() - (stepOffset.getStore() ?? 0);

/**
 * `Date` as the services see it while the story is told: each step reads its own day. Named `Date`
 * too: libraries tell a date by its constructor's name (Mongoose's clone does, else it copies the
 * date as a plain object).
 */
const StoryDate = class Date extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(storyNow());
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return storyNow();
  }
};

/**
 * The demo's calendar. The story is played through the services in under a minute, but a real
 * challenge takes weeks, and a demo whose every idea was submitted, approved, judged, shipped and
 * announced in the same minute is not believable. While `tell` runs, `Date` reads real time,
 * except inside `on(days, step)`, where it reads `days` from now (negative: in the past): every
 * date a step's services and subscribers write (submitted, approved, scored, shipped, the notices,
 * the audit, the insights' durations) falls on the day the story gives it. Steps run side by side
 * (a few people at once) each keep their own day: it follows the step's async context, not a
 * global. `Date` is the real one again when `tell` ends.
 */
export async function withStoryCalendar<T>(tell: () => Promise<T>): Promise<T> {
  globalThis.Date = StoryDate as DateConstructor;
  try {
    return await tell();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** Runs one step of the story `days` from now (negative: in the past), as if it happened then. */
export function on<T>(days: number, step: () => Promise<T>): Promise<T> {
  return stepOffset.run(Math.max(0, -days * DAY), step);
}

/** The day of item `index` of `count`, spread evenly from `from` to `to` (days from now). */
export function spread(from: number, to: number, index: number, count: number): number {
  return count <= 1 ? from : from + ((to - from) * index) / (count - 1);
}
