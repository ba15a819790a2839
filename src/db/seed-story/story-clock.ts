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

/**
 * A chapter of the story, told beside the others: the days of its steps waiting or running, and the
 * day of its last step, which is where it stands between steps.
 */
type Chapter = { steps: number[]; last: number; done: boolean };

/** The chapter whose step runs now, in the step's async context. */
const chapterOfStep = new AsyncLocalStorage<Chapter>();
const chapters = new Set<Chapter>();
const waiting = new Set<{ chapter: Chapter; day: number; go: () => void }>();

/** The earliest day a chapter may still tell: its earliest waiting or running step, else its last one. */
function earliestDay(chapter: Chapter): number {
  if (chapter.done) return Infinity;
  return chapter.steps.length > 0 ? Math.min(...chapter.steps) : chapter.last;
}

function releaseWaitingSteps(): void {
  for (const waiter of waiting) {
    // Its own chapter too: steps told a few at a time (one person's submission beside another's
    // approval) would otherwise write in the order they happen to finish, not of their days.
    const earlier = [...chapters].some((chapter) => earliestDay(chapter) < waiter.day);
    if (earlier) continue;
    waiting.delete(waiter);
    waiter.go();
  }
}

/**
 * Tells the chapters side by side, a step only when no chapter has an earlier step still to tell:
 * what the story writes, above all each person's notices, is written in the order of its days
 * across the chapters, as a real site would have, and not a chapter's weeks after another's. Steps
 * of one day run side by side; a chapter asks for its steps in the order it gives them.
 */
export async function tellSideBySide(tellers: Array<() => Promise<unknown>>): Promise<void> {
  const started = tellers.map((): Chapter => ({ steps: [], last: -Infinity, done: false }));
  for (const chapter of started) chapters.add(chapter);
  // All told to their end, a failed one too: nothing of the story goes on after it returns.
  const told = await Promise.allSettled(
    tellers.map((tell, index) =>
      chapterOfStep.run(started[index]!, async () => {
        try {
          await tell();
        } finally {
          started[index]!.done = true;
          releaseWaitingSteps();
        }
      }),
    ),
  );
  for (const chapter of started) chapters.delete(chapter);
  const failed = told.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs one step of the story `days` from now (negative: in the past), as if it happened then. */
export async function on<T>(days: number, step: () => Promise<T>): Promise<T> {
  const chapter = chapterOfStep.getStore();
  // A step inside a step runs within its turn: waiting for its turn again could wait for itself.
  if (!chapter || stepOffset.getStore() !== undefined) return stepOffset.run(Math.max(0, -days * DAY), step);
  chapter.steps.push(days);
  await new Promise<void>((go) => {
    waiting.add({ chapter, day: days, go });
    releaseWaitingSteps();
  });
  try {
    return await stepOffset.run(Math.max(0, -days * DAY), step);
  } finally {
    chapter.steps.splice(chapter.steps.indexOf(days), 1);
    chapter.last = Math.max(chapter.last, days);
    releaseWaitingSteps();
  }
}

/** The day of item `index` of `count`, spread evenly from `from` to `to` (days from now). */
export function spread(from: number, to: number, index: number, count: number): number {
  return count <= 1 ? from : from + ((to - from) * index) / (count - 1);
}
