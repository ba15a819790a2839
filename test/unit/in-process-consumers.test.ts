import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inProcessConsumers } from '../../src/cluster/outbox.ts';
import { EventBus } from '../../src/shared/events.ts';

const comment = (commentId: string) => ({ ideaId: 'i', challengeId: 'c', commentId, authorId: 'a', authorName: 'A', ideaTitle: 'T', mentionedIds: [] });

/** The demo seed runs the outbox's consumers in process: each still applies events in the order they happened, as the outbox does. */
describe('consumers run in process', () => {
  it("apply a consumer's events one after the other, in the order they were emitted, whatever each waits for", async () => {
    const events = new EventBus();
    const consumers = inProcessConsumers(events);
    const applied: string[] = [];
    consumers.consumer('notifications').on('comment.added', async ({ commentId }) => {
      // The first one's subscriber is still reading when the second arrives.
      if (commentId === 'comment') await new Promise((resolve) => setTimeout(resolve, 20));
      applied.push(commentId);
    });
    consumers.consumer('notifications').on('question.asked', ({ questionId }) => {
      applied.push(questionId);
    });
    void events.emit('comment.added', comment('comment'));
    void events.emit('comment.added', comment('reply'));
    void events.emit('question.asked', { challengeId: 'c', questionId: 'question', byId: 'a', byName: 'A', title: 'T' });
    await events.settled();
    assert.deepEqual(applied, ['comment', 'reply', 'question']);
  });

  it('go on after a subscriber fails', async () => {
    const events = new EventBus();
    const applied: string[] = [];
    inProcessConsumers(events)
      .consumer('notifications')
      .on('comment.added', ({ commentId }) => {
        if (commentId === 'failing') throw new Error('failed');
        applied.push(commentId);
      });
    void events.emit('comment.added', comment('failing'));
    void events.emit('comment.added', comment('next'));
    await events.settled();
    assert.deepEqual(applied, ['next']);
  });
});
