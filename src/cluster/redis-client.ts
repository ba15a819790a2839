import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../shared/logger.ts';

/**
 * A Redis connection that says once that it was lost and once that it is back. ioredis reports
 * every failed reconnection attempt, several a second while Redis is away: logged as they come,
 * an outage of a minute wrote hundreds of stack traces per process.
 */
export function connectRedis(url: string, options: { logger?: Logger; purpose: string } & RedisOptions): Redis {
  const { logger, purpose, ...redisOptions } = options;
  const client = new Redis(url, redisOptions);
  let lost = false;
  client.on('error', (error) => {
    if (lost) return;
    lost = true;
    logger?.warn({ err: error, redis: purpose }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger?.info({ redis: purpose }, 'redis connection back');
  });
  return client;
}
