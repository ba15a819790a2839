import { randomUUID } from 'node:crypto';
import type { Logger } from '../shared/logger.ts';
import { connectRedis } from './redis-client.ts';

/** "This changed": what other app processes need to refresh their in-memory read models. */
export type ClusterMessage =
  | { kind: 'challenge'; id: string }
  | { kind: 'idea'; id: string; challengeId: string }
  | { kind: 'comparison'; id: string; challengeId: string }
  | { kind: 'user'; id: string }
  /** Who follows these challenges and ideas (the followers' keys). */
  | { kind: 'followers'; ids: string[] }
  /** People's inboxes changed (one notice to many people: one entry). */
  | { kind: 'inboxes'; ids: string[] }
  | { kind: 'backlogItem'; id: string }
  /** A challenge's judging setup (`id`: the challenge's). */
  | { kind: 'judging'; id: string }
  | { kind: 'backlog'; id: string }
  /** The site's name, logo or colour. */
  | { kind: 'site' }
  /** A webhook was added, changed or removed. */
  | { kind: 'webhooks' }
  /** Written by the scripts, which change many things at once: every read model reloads. */
  | { kind: 'all' };

export type ClusterBus = {
  publish: (message: ClusterMessage) => void;
  /** Messages from the other processes (never this process's own). */
  onMessage: (handler: (message: ClusterMessage) => void) => void;
  close: () => Promise<void>;
};

/** With one process there is nobody to tell. */
export function createLocalBus(): ClusterBus {
  return { publish: () => {}, onMessage: () => {}, close: async () => {} };
}

/**
 * Redis pub/sub between the app processes that share one database. The channel is named after
 * the site's key (`siteKeyOf`), so several sites (or test runs) can share one Redis without hearing each other.
 */
export function createRedisBus(options: { redisUrl: string; logger: Logger; namespace: string }): ClusterBus {
  const CHANNEL = `cocreate:${options.namespace}:invalidate`;
  const origin = randomUUID();
  // A message that cannot go now is dropped at once rather than queued for a Redis that is away:
  // the change log brings the other processes the change within its bound anyway.
  const publisher = connectRedis(options.redisUrl, { logger: options.logger, purpose: 'cluster publisher', enableOfflineQueue: false });
  const subscriber = connectRedis(options.redisUrl, { logger: options.logger, purpose: 'cluster subscriber' });
  const handlers: Array<(message: ClusterMessage) => void> = [];
  const subscribed = subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel, raw: string) => {
    try {
      const { from, message } = JSON.parse(raw) as { from: string; message: ClusterMessage };
      if (from !== origin) for (const handler of handlers) handler(message);
    } catch (error) {
      options.logger.warn({ err: error }, 'unreadable cluster message');
    }
  });
  return {
    publish: (message) => {
      publisher.publish(CHANNEL, JSON.stringify({ from: origin, message })).catch((error: unknown) => options.logger.warn({ err: error }, 'cluster publish failed'));
    },
    onMessage: (handler) => {
      handlers.push(handler);
    },
    close: async () => {
      await subscribed.catch(() => undefined);
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
