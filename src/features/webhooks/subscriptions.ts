import { Webhook, type WebhookEvent } from './webhook.model.ts';

/**
 * Which active webhooks take each event. Every submission and decision asks, and on the embedded
 * engine a query of the webhooks by anything but `_id` reads the whole collection: so the few
 * webhooks are held in memory, read once on first use, and dropped (`forget`) when this process
 * changes one, when the outbox's webhooks consumer reaches a change recorded by any process (so
 * every event recorded after it finds it), and through the change log (another process's change,
 * a script's `all`), which keeps a process that takes the consumer over current. A removed or
 * disabled webhook is refused at delivery anyway: the worker reads it by `_id` before each attempt.
 */
export function createSubscriptions() {
  let loading: Promise<Map<string, string[]>> | undefined;

  function load(): Promise<Map<string, string[]>> {
    if (loading) return loading;
    const current = Webhook.find({ active: true }, { _id: 1, events: 1 })
      .lean()
      .then((hooks) => {
        const byEvent = new Map<string, string[]>();
        for (const hook of hooks) for (const event of hook.events) byEvent.set(event, [...(byEvent.get(event) ?? []), String(hook._id)]);
        return byEvent;
      });
    loading = current;
    // A failed read is not kept: the next event reads again.
    current.catch(() => {
      if (loading === current) loading = undefined;
    });
    return current;
  }

  return {
    /** The ids of the active webhooks subscribed to `event`. */
    subscribers: async (event: WebhookEvent): Promise<string[]> => (await load()).get(event) ?? [],
    /** A webhook changed (here or elsewhere): the next event reads them again. A read in flight is left to those already waiting for it. */
    forget: (): void => {
      loading = undefined;
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
