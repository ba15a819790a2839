import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { OutboxEntry } from '../../src/cluster/outbox.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { Delivery } from '../../src/features/webhooks/webhook.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { insightsCount, notificationsOf, outboxConsumed, watchedChallenge } from '../helpers/outbox.ts';
import { processesInGroup, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { signedInClient } from '../helpers/users.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

const GRACE_MS = 2_000;

describe('a process killed right after a write', () => {
  let setup: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const servers: ServerProcess[] = [];

  before(async () => {
    receiver = await startWebhookReceiver();
    // Writes the setup and records its events, but leaves consuming them to the server processes.
    setup = await startTestApp({ consumeOutbox: false, env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}` } });
  });
  after(async () => {
    for (const server of servers) await server.cleanUp();
    await setup.close();
    await receiver.close();
  });

  /**
   * The real server on this file's database; `paused`: it records events but does not consume
   * them yet; `stall`: every write with durable events hangs there (to be killed there).
   */
  async function serve(paused: boolean, stall?: 'recorded' | 'written') {
    const { host, port, name } = mongoose.connection;
    const server = await startServerProcess({
      how: 'node',
      env: {
        MONGODB_URI: `mongodb://${host}:${port}/${name}?directConnection=true`,
        SEED_ON_FIRST_START: 'false',
        WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}`,
        OUTBOX_START_DELAY_MS: paused ? '3600000' : '0',
        // A dead writer's entry holds the consumers up this long (10 s by default): short here, to keep the test quick.
        OUTBOX_INTENT_GRACE_MS: String(GRACE_MS),
        ...(stall ? { OUTBOX_STALL: stall } : {}),
      },
    });
    servers.push(server);
    return server;
  }

  it('delivers the notification, the webhook and the insights count of its write exactly once after a restart', async () => {
    const { id, copilot, author } = await watchedChallenge(setup, 'Crash-proof challenge', `http://127.0.0.1:${receiver.port}/submitted`);

    const first = await serve(true);
    const client = await signedInClient(first.url, author);
    const created = await client.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title: 'Survives the crash' }));
    assert.equal(created.status, 303);
    for (const pid of processesInGroup(first.child.pid!)) process.kill(pid, 'SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.deepEqual(await notificationsOf(copilot.id), [], 'the subscribers had not run');
    assert.equal(await insightsCount(id, 'submitted|*'), 0);

    await serve(false);
    await eventually(async () => (await outboxConsumed()) && receiver.on('/submitted').length > 0 && (await Delivery.countDocuments()) === 0, 'the effects after the restart');
    assert.deepEqual(
      (await notificationsOf(copilot.id)).map((notice) => notice.text),
      ['New idea in “Crash-proof challenge”: Survives the crash'],
    );
    assert.equal(receiver.on('/submitted').length, 1);
    assert.equal((JSON.parse(receiver.on('/submitted')[0]!.body) as { data: { idea: { title: string } } }).data.idea.title, 'Survives the crash');
    assert.equal(await insightsCount(id, 'submitted|*'), 1);
  });

  // Runs after the test above, whose restarted server keeps consuming: it is the process that finds the killed writers' entries.
  it('killed after recording an intent and before writing: nothing is applied; killed after writing and before done: applied once', async () => {
    const { id, copilot, author } = await watchedChallenge(setup, 'Half-written challenge', `http://127.0.0.1:${receiver.port}/half`);

    /** Submits an idea on a server that hangs at `stall`, waits until `reached` holds, and kills it there. */
    async function killedAt(stall: 'recorded' | 'written', title: string, reached: () => Promise<boolean>) {
      const server = await serve(true, stall);
      const client = await signedInClient(server.url, author);
      // Never answered: the process hangs, then dies.
      const hanging = client.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title })).catch(() => undefined);
      await eventually(reached, `the ${stall} point`);
      for (const pid of processesInGroup(server.child.pid!)) process.kill(pid, 'SIGKILL');
      await server.exited;
      await hanging;
    }
    await killedAt('recorded', 'Never written', async () => (await OutboxEntry.exists({ name: 'idea.submitted', 'payload.challengeId': id })) !== null);
    assert.equal(await Idea.exists({ title: 'Never written' }), null, 'the write never happened');
    await killedAt('written', 'Written, never told', async () => (await Idea.exists({ title: 'Written, never told' })) !== null);

    // The first entry holds the consumers up for its grace (its writer might still be writing), then goes.
    await eventually(async () => (await outboxConsumed()) && receiver.on('/half').length > 0 && (await Delivery.countDocuments()) === 0, 'the effects', GRACE_MS + 8_000);
    assert.deepEqual(
      (await notificationsOf(copilot.id)).map((notice) => notice.text),
      ['New idea in “Half-written challenge”: Written, never told'],
    );
    assert.deepEqual(
      receiver.on('/half').map((request) => (JSON.parse(request.body) as { data: { idea: { title: string } } }).data.idea.title),
      ['Written, never told'],
    );
    assert.equal(await insightsCount(id, 'submitted|*'), 1);
  });
});
