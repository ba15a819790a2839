import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose, { Schema } from 'mongoose';
import { on, spread, withStoryCalendar } from '../../src/db/seed-story/story-clock.ts';

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

  it('spreads items evenly over a span of days', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((index) => spread(-10, -2, index, 5)),
      [-10, -8, -6, -4, -2],
    );
    assert.equal(spread(-10, -2, 0, 1), -10);
  });
});
