import { withoutPerson, type ErasedPerson } from '../shared/personal-data.ts';
import { OutboxEntry } from './outbox.ts';

function redacted(value: unknown, person: ErasedPerson): unknown {
  if (typeof value === 'string') return withoutPerson(value, person);
  if (Array.isArray(value)) return value.map((item) => redacted(item, person));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redacted(item, person)]));
  return value;
}

/**
 * Events still waiting in the outbox (or applied and not yet pruned) stop naming an erased
 * person, so the notices and webhook payloads made from them later say "Deleted user". The
 * outbox is pruned every minute, so reading it whole stays cheap.
 */
export async function eraseOutboxData(person: ErasedPerson): Promise<void> {
  for (const entry of await OutboxEntry.find({}).lean()) {
    const payload = redacted(entry.payload, person);
    if (JSON.stringify(payload) !== JSON.stringify(entry.payload)) await OutboxEntry.updateOne({ _id: entry._id }, { $set: { payload } });
  }
}
