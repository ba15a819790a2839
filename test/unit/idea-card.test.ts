import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { flatId, toCard } from '../../src/features/ideas/idea-board.ts';

describe('idea cards', () => {
  it('spell every id of the idea as the idea does (ObjectIds and strings alike)', () => {
    const [idea, challenge, author, coAuthor, invited] = Array.from({ length: 5 }, () => new mongoose.Types.ObjectId());
    const card = toCard({
      _id: idea,
      challengeId: challenge,
      title: 'T',
      summary: 'S',
      authorId: author,
      coAuthors: [
        { userId: coAuthor, status: 'accepted' },
        { userId: invited, status: 'invited' },
      ],
      status: 'submitted',
      tags: [],
    });
    assert.deepEqual(
      { id: card.id, challengeId: card.challengeId, authorIds: card.authorIds, invitedIds: card.invitedIds },
      { id: String(idea), challengeId: String(challenge), authorIds: [String(author), String(coAuthor)], invitedIds: [String(invited)] },
    );
    assert.equal(flatId('already-a-string'), 'already-a-string');
  });
});
