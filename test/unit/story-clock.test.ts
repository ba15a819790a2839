import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose, { Schema } from 'mongoose';
import { on, spread, tellSideBySide, withStoryCalendar } from '../../src/db/seed-story/story-clock.ts';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (date: Date) => (Date.now() - date.getTime()) / DAY;

describe('the demo story’s calendar', () => {
  it('dates what a step writes on the step’s day, and each of two steps run side by side on its own', async () => {
    const dates = await withStoryCalendar(async () => {
      const step = (days: number) =>
        on(days, async () => {
          const before = new Date();
          // Another step runs meanwhile: the days must not leak from one to the other.
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { before, after: new Date(), now: Date.now() };
        });
      return Promise.all([step(-30), step(-2.5)]);
    });
    const [month, days] = dates;
    assert.ok(Math.abs(daysAgo(month!.before) - 30) < 0.01 && Math.abs(daysAgo(month!.after) - 30) < 0.01, 'both dates of the first step a month ago');
    assert.ok(Math.abs((Date.now() - month!.now) / DAY - 30) < 0.01, 'Date.now() a month ago too');
    assert.ok(Math.abs(daysAgo(days!.before) - 2.5) < 0.01 && Math.abs(daysAgo(days!.after) - 2.5) < 0.01, 'the second step two and a half days ago');
    assert.ok(month!.after.getTime() >= month!.before.getTime(), 'time goes on within a step');
  });

  it('reads real time outside a step, never the future, and is the real Date again afterwards', async () => {
    const RealDate = Date;
    await withStoryCalendar(async () => {
      assert.ok(daysAgo(new Date()) < 0.01, 'outside a step: now');
      assert.ok(Math.abs(daysAgo(await on(3, async () => new Date()))) < 0.01, 'a future day is read as now');
      assert.equal(new Date(2026, 0, 2).getDate(), 2, 'a given date is that date');
      assert.equal(Date.UTC(2026, 0, 1), RealDate.UTC(2026, 0, 1));
    });
    assert.equal(Date, RealDate);
  });

  it('gives the services dates that Mongoose keeps as dates (it tells them by their constructor’s name)', async () => {
    // A list of subdocuments, as an idea's history: then toObject() clones each value.
    const model = mongoose.model('StoryClockProbe', new Schema({ at: Date, history: [{ at: Date }] }));
    const doc = await withStoryCalendar(() => on(-10, async () => new model({ at: new Date(), history: [{ at: new Date() }] }).toObject()));
    for (const at of [doc.at, doc.history[0]!.at]) {
      assert.ok(at instanceof Date, `a date, not ${typeof at}`);
      assert.ok(Math.abs(daysAgo(at) - 10) < 0.01);
    }
  });

  it('tells chapters side by side in the order of their days, each keeping its own order, and survives a chapter that fails', async () => {
    const told: string[] = [];
    // Steps take different real times, so without the turns a quick chapter would finish first.
    const step = (chapter: string, day: number, ms: number) => on(day, () => new Promise<void>((resolve) => setTimeout(() => resolve(void told.push(`${chapter}${day}`)), ms)));
    await withStoryCalendar(() =>
      tellSideBySide([
        async () => {
          for (const day of [-30, -20, -10]) await step('a', day, 1);
        },
        async () => {
          for (const day of [-25, -15]) await step('b', day, 8);
          // Between steps (a wait for subscribers, say): the others wait for its next day.
          await new Promise((resolve) => setTimeout(resolve, 10));
          await step('b', -5, 1);
        },
        async () => {
          await step('c', -12, 1);
          // A step inside a step is part of its turn, not a new one (it would wait for itself).
          await on(-11, () => step('c', -40, 1));
        },
      ]),
    );
    assert.deepEqual(told, ['a-30', 'b-25', 'a-20', 'b-15', 'c-12', 'c-40', 'a-10', 'b-5']);

    // Within a chapter too: of two steps asked for at once, the earlier day's is told first, however long it takes.
    told.length = 0;
    await withStoryCalendar(() => tellSideBySide([() => Promise.all([step('d', -6, 10), step('d', -5, 1), step('d', -6, 1)])]));
    assert.deepEqual(told, ['d-6', 'd-6', 'd-5']);

    const order: string[] = [];
    const failing = withStoryCalendar(() =>
      tellSideBySide([
        async () => {
          await on(-9, async () => void order.push('x-9'));
          throw new Error('a chapter failed');
        },
        async () => {
          for (const day of [-10, -8, -1]) await on(day, async () => void order.push(`y${day}`));
        },
      ]),
    );
    await assert.rejects(failing, /a chapter failed/);
    assert.deepEqual(order, ['y-10', 'x-9', 'y-8', 'y-1'], 'the other chapter is told to its end');
  });

  it('spreads items evenly over a span of days', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((index) => spread(-10, -2, index, 5)),
      [-10, -8, -6, -4, -2],
    );
    assert.equal(spread(-10, -2, 0, 1), -10);
  });
});
