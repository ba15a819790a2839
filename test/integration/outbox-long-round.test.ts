import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOutbox } from '../../src/cluster/outbox.ts';
import { Lease } from '../../src/db/lease.ts';
import { appliedEvent } from '../../src/shared/applying-event.ts';
import { EventBus } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { useTestDatabase } from '../helpers/database.ts';
import { eventually } from '../helpers/eventually.ts';

/**
 * A round of the outbox can outlast half its lease on a busy machine. The lease is renewed while
 * the round runs, so the next round keeps its positions: nothing after them is applied again as a
 * replay (which reads what it checks, and under load made the backlog longer still).
 */
describe('an outbox round longer than half its lease', () => {
  let close: () => Promise<void> = async () => {};
  before(async () => {
    close = await useTestDatabase();
  });
  after(() => close());

  it('renews the lease meanwhile, and the next round applies the next entry as new, not as a replay', async () => {
    const events = new EventBus();
    const outbox = createOutbox({ events, logger: createLogger('silent'), leaseMs: 900, pollMs: 50 });
    const applied: Array<{ seq: number; replay: boolean }> = [];
    const expiry = async () => (await Lease.findById('outbox-consumers').lean())?.expiresAt?.getTime() ?? 0;
    outbox.consumer('insights').on('site.branding_changed', async () => {
      const event = appliedEvent()!;
      applied.push({ seq: event.seq, replay: event.replay });
      if (applied.length > 1) return;
      // The first entry's round lasts until the lease taken at its start has been renewed.
      const taken = await expiry();
      await eventually(async () => (await expiry()) > taken, 'the lease renewed during the round');
    });
    outbox.start();
    try {
      // Positions loaded first, so the entries below are new to this holder.
      await outbox.catchUp();
      await events.emit('site.branding_changed', {});
      await eventually(async () => applied.length === 1, 'the first entry applied');
      // The round's end (a round under way is joined): the next entry goes in the next round.
      await outbox.catchUp();
      await events.emit('site.branding_changed', {});
      await eventually(async () => applied.length === 2, 'the second entry applied');
    } finally {
      await outbox.stop();
    }
    assert.deepEqual(
      applied.map((entry) => entry.replay),
      [false, false],
    );
  });
});
