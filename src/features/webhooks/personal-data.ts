import { DELETED_USER, personPattern, withoutPerson, type ErasedPerson } from '../../shared/personal-data.ts';
import { Delivery, Webhook } from './webhook.model.ts';

/** Webhooks the person added, and payloads still waiting to be delivered, stop naming them. */
export async function eraseWebhooksData(person: ErasedPerson): Promise<void> {
  await Webhook.updateMany({ createdByName: person.name }, { $set: { createdByName: DELETED_USER } });
  // The body is signed again at each attempt, so rewriting it keeps the signature valid.
  for (const delivery of await Delivery.find({ body: personPattern(person) }, { body: 1 }).lean()) {
    await Delivery.updateOne({ _id: delivery._id }, { $set: { body: withoutPerson(delivery.body, person) } });
  }
}
