import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OutboxCursor } from '../../src/cluster/outbox.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/eventually.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { notificationsOf, outboxConsumed } from '../helpers/outbox.ts';

/**
 * A phase move's effects run from the outbox's `phases` consumer. A process that stops halfway
 * through them (after the judges' assignments, before their notices) applies the move again after
 * its restart: what the first try did is not done twice, and what it did not reach is done.
 */
describe('a phase move applied again after a stop halfway', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const positions = async () => (await OutboxCursor.findById('outbox-consumers').lean())!.positions as Record<string, number>;

  /** As if the process had died after applying everything since `at` and before its cursors moved. */
  async function replayFrom(at: Record<string, number>) {
    await app.outbox.stop();
    await OutboxCursor.updateOne({ _id: 'outbox-consumers' }, { $set: { positions: at } });
    // Restarted, it reads people afresh: their notification choices, changed meanwhile in the database.
    app.readModels.users.reset();
    app.outbox.start();
    await eventually(outboxConsumed, 'the replay applied');
  }

  it('judging starts: judges assigned before the stop but not told are told once, and nothing is assigned again', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, perIdea: 2, untilCuration: true });
    const judgeIds = challenge.judges.map((judge) => judge.id);
    // The first try stops between the assignments and the notices: the judges hear nothing of it.
    await Promise.all(judgeIds.map((id) => User.updateOne({ _id: id }, { $set: { 'notificationPrefs.judging_assigned': 'off' } })));
    await eventually(outboxConsumed, 'the setup applied');
    const beforeMove = await positions();

    await app.services.challenges.movePhase(challenge.staff, challenge.id, 'judging', 'Shortlist final');
    await eventually(async () => (await app.services.judging.read(challenge.id)).assignments.length === 2 && (await outboxConsumed()), 'the shortlist assigned');
    const assigned = (await app.services.judging.read(challenge.id)).assignments;
    const told = async () => Promise.all(judgeIds.map(async (id) => (await notificationsOf(id)).filter((notice) => notice.kind === 'judging_assigned').map((notice) => notice.text)));
    assert.deepEqual(await told(), [[], []], 'not told by the first try');

    await Promise.all(judgeIds.map((id) => User.updateOne({ _id: id }, { $unset: { 'notificationPrefs.judging_assigned': 1 } })));
    await replayFrom(beforeMove);
    const once = Array(2).fill(['You have 2 ideas to score in “Make onboarding delightful”']);
    assert.deepEqual(await told(), once, 'each judge told by the move applied again');
    assert.deepEqual((await app.services.judging.read(challenge.id)).assignments, assigned, 'the same assignments');

    await replayFrom(beforeMove);
    assert.deepEqual(await told(), once, 'told once, however often the move is applied');
  });
});
