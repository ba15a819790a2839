import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { createIdeaBoard } from '../../src/features/ideas/idea-board.ts';
import { useDatabaseInSuite } from '../helpers/database.ts';

const challengeId = new mongoose.Types.ObjectId();
const idea = (n: number, overrides: Record<string, unknown> = {}) => ({
  _id: new mongoose.Types.ObjectId(),
  challengeId,
  title: `Idea ${n}`,
  summary: '',
  body: '',
  authorId: new mongoose.Types.ObjectId(),
  coAuthors: [],
  status: 'submitted',
  tags: [],
  submittedAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
  ...overrides,
});

describe('the in-memory idea board behind the challenge page', () => {
  useDatabaseInSuite();

  it('pages newest or oldest first by keyset, every idea exactly once', async () => {
    const board = createIdeaBoard();
    // Put in a shuffled order: the board keeps them sorted as they arrive.
    for (const n of Array.from({ length: 55 }, (_, i) => (i * 37) % 55)) await board.put(idea(n));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await board.page(String(challengeId), { audience: 'team', after, limit: 20, visible: () => true });
      seen.push(...page.cards.map((card) => card.title));
      after = page.nextAfter ?? undefined;
    } while (after);
    assert.equal(seen.length, 55);
    assert.equal(seen[0], 'Idea 54');
    assert.equal(seen[54], 'Idea 0');
    const oldest = await board.page(String(challengeId), { audience: 'team', limit: 3, visible: () => true, sort: 'oldest' });
    assert.deepEqual(
      oldest.cards.map((card) => card.title),
      ['Idea 0', 'Idea 1', 'Idea 2'],
    );
    assert.equal(await board.count(String(challengeId)), 55);
    // Unfiltered (a viewer who sees everything): other orders must not reorder the board itself.
    await board.page(String(challengeId), { audience: 'team', limit: 3, sort: 'oldest' });
    await board.page(String(challengeId), { audience: 'team', limit: 3, sort: 'votes' });
    const newest = await board.page(String(challengeId), { audience: 'team', limit: 3 });
    assert.deepEqual(
      newest.cards.map((card) => card.title),
      ['Idea 54', 'Idea 53', 'Idea 52'],
    );
  });

  it('moves a challenge’s version on every change of its board and on a reset, never back to one seen before', async () => {
    const board = createIdeaBoard();
    const seen = [board.version(String(challengeId))];
    await board.put(idea(1));
    seen.push(board.version(String(challengeId)));
    board.reset();
    seen.push(board.version(String(challengeId)));
    await board.put(idea(2));
    seen.push(board.version(String(challengeId)));
    assert.equal(new Set(seen).size, seen.length, `every step a new version: ${seen.join(', ')}`);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
      'versions only go forward',
    );
  });

  it('keeps one card per idea in its sorted place when ideas are put again, with equal or changed submission times', async () => {
    const board = createIdeaBoard();
    // Four ideas share each minute: the id breaks the tie.
    const ideas = Array.from({ length: 20 }, (_, n) => idea(n, { submittedAt: new Date(Date.UTC(2026, 0, 1, 0, n % 5)) }));
    for (const each of ideas) await board.put(each);
    for (const n of Array.from({ length: 20 }, (_, i) => (i * 7) % 20)) await board.put({ ...ideas[n]!, status: 'approved' });
    ideas[3] = { ...ideas[3]!, status: 'approved', submittedAt: new Date(Date.UTC(2026, 0, 1, 1)) };
    await board.put(ideas[3]);
    const expected = [...ideas].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || (String(a._id) < String(b._id) ? 1 : -1)).map((each) => String(each._id));
    const page = await board.page(String(challengeId), { audience: 'team', limit: 50 });
    assert.deepEqual(
      page.cards.map((card) => card.id),
      expected,
    );
    assert.equal(page.cards[0]!.title, 'Idea 3', 'the changed date moved it');
    assert.ok(page.cards.every((card) => card.status === 'approved'));
  });

  it('drops an idea that goes back to draft, and hides what the filter hides from page and total', async () => {
    const board = createIdeaBoard();
    const first = idea(1);
    const second = idea(2);
    await board.put(first);
    await board.put(second);
    await board.put({ ...first, status: 'draft' });
    const page = await board.page(String(challengeId), { audience: 'team', limit: 10, visible: (card) => card.title !== 'Idea 2' });
    assert.deepEqual(page.cards, []);
    assert.equal(page.total, 0);
    assert.equal(await board.count(String(challengeId)), 1);
  });
});
