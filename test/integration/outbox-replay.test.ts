import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OutboxCursor } from '../../src/cluster/outbox.ts';
import { activityOf } from '../../src/features/insights/individual-activity.ts';
import { Inbox } from '../../src/features/notifications/notification.model.ts';
import { Delivery } from '../../src/features/webhooks/webhook.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { insightsCount, notificationsOf, outboxConsumed, watchedChallenge } from '../helpers/outbox.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

describe('the outbox applies each event once, however often it is replayed', () => {
  let app: TestApp;
  let other: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let stopWorker: () => Promise<void>;

  before(async () => {
    receiver = await startWebhookReceiver();
    app = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}` } });
    stopWorker = app.services.webhooks.startWorker({ pollMs: 50, backoffMs: [100], maxAttempts: 2, timeoutMs: 3_000 });
    // A second process on the same database, consuming too: the lease lets one of them apply each entry.
    other = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}` } });
  });
  after(async () => {
    await stopWorker();
    await other.close();
    await app.close();
    await receiver.close();
  });

  it('a submission, a comment and a vote applied again after their cursor went back: one notice each, one delivery, one count', async () => {
    const { id, copilot, author } = await watchedChallenge(app, 'Replayed challenge', `http://127.0.0.1:${receiver.port}/replayed`);
    const voter = await createUser({ name: 'Vic Voter' });
    await eventually(outboxConsumed, 'the setup applied');
    const before = (await OutboxCursor.findById('outbox-consumers').lean())!.positions as Record<string, number>;

    const client = await signedInClient(app.url, author);
    const created = await client.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Applied once' }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    await app.services.comments.addComment(actorFor(voter), ideaId, { body: 'Lovely idea' });
    await app.services.votes.castVote(actorFor(voter), ideaId);

    const settled = async () => (await outboxConsumed()) && receiver.on('/replayed').length === 1 && (await Delivery.countDocuments()) === 0;
    await eventually(settled, 'the effects');
    const effects = async () => ({
      copilot: (await notificationsOf(copilot.id)).map((notice) => notice.text),
      author: (await notificationsOf(author.id)).map((notice) => notice.text),
      unread: [(await Inbox.findById(copilot.id).lean())?.unread, (await Inbox.findById(author.id).lean())?.unread],
      deliveries: receiver.on('/replayed').length,
      submitted: await insightsCount(id, 'submitted|*'),
      votes: await insightsCount(id, 'votes|*'),
      comments: await insightsCount(id, 'comments|*'),
      participants: await insightsCount(id, 'participants|*'),
      activity: (await activityOf(voter.id)).votes.length,
    });
    const once = await effects();
    assert.deepEqual(once.copilot, ['New idea in “Replayed challenge”: Applied once']);
    assert.deepEqual(once.author, ['Vic Voter commented on “Applied once”']);
    assert.deepEqual([once.deliveries, once.submitted, once.votes, once.comments, once.activity], [1, 1, 1, 1, 1]);

    // As if the process had died after the effects and before the cursor moved: everything since is applied again.
    await app.outbox.stop();
    await OutboxCursor.updateOne({ _id: 'outbox-consumers' }, { $set: { positions: before } });
    app.outbox.start();
    await eventually(settled, 'the replay');
    assert.deepEqual(await effects(), once);
  });

  it('submissions sent at once on two processes, their events recorded together: each delivered and counted once', async () => {
    const { id } = await watchedChallenge(app, 'All at once', `http://127.0.0.1:${receiver.port}/at-once`);
    const authors = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => createUser({ name: `Author ${n}` })));
    const clients = await Promise.all(authors.map((author, index) => signedInClient([app, other][index % 2]!.url, author)));
    const sent = await Promise.all(clients.map((client, index) => client.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: `At once ${index}` }))));
    assert.deepEqual(
      sent.map((answer) => answer.status),
      [303, 303, 303, 303, 303, 303],
    );
    await eventually(async () => (await outboxConsumed()) && receiver.on('/at-once').length >= 6, 'the effects');
    const titles = receiver.on('/at-once').map((request) => JSON.parse(request.body).data.idea.title as string);
    assert.deepEqual(
      titles.sort(),
      [0, 1, 2, 3, 4, 5].map((index) => `At once ${index}`),
    );
    assert.equal(await insightsCount(id, 'submitted|*'), 6);
  });

  it('every event a durable consumer takes has a verifier, which checks by _id that its write happened', () => {
    assert.deepEqual(app.outbox.unverified(), []);
  });

  it('with two processes writing and consuming, each vote counts once and each comment is told once', async () => {
    const { id, author } = await watchedChallenge(app, 'Two processes', `http://127.0.0.1:${receiver.port}/two`);
    const created = await (await signedInClient(other.url, author)).submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Twice served' }));
    const ideaId = (created.headers.get('location') ?? '').split('/')[2]!;
    const voters = await Promise.all([1, 2, 3, 4].map((n) => createUser({ name: `Voter ${n}` })));
    await Promise.all(voters.map(async (voter, index) => [app, other][index % 2]!.services.votes.castVote(actorFor(voter), ideaId)));
    await Promise.all(voters.map(async (voter, index) => [app, other][index % 2]!.services.comments.addComment(actorFor(voter), ideaId, { body: `Comment ${index}` })));
    await eventually(async () => (await outboxConsumed()) && receiver.on('/two').length === 1, 'the effects');
    assert.equal(await insightsCount(id, 'votes|*'), 4);
    assert.equal(await insightsCount(id, 'comments|*'), 4);
    assert.equal((await notificationsOf(author.id)).filter((notice) => notice.text.includes('commented on “Twice served”')).length, 4);
  });
});
