import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { rateLimit, type AugmentedRequest, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { TooManyRequests } from '../shared/errors.ts';

export type RateLimitSettings = {
  signInPerIp: number;
  signInPerAccount: number;
  signUpPerIp: number;
  resetPerIp: number;
  resetPerAccount: number;
  windowMs: number;
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  signInPerIp: 50,
  signInPerAccount: 5,
  signUpPerIp: 20,
  resetPerIp: 20,
  resetPerAccount: 3,
  windowMs: 15 * 60 * 1000,
};

/** A store per limiter; memory by default, Redis-backed when several app processes share load. */
export type RateLimitStoreFactory = (prefix: string) => Store | undefined;

/**
 * Counters in Redis, shared by every app process of the site (so "5 failed sign-ins per account"
 * holds across nodes), under the site's key. The store's Lua scripts are loaded in the background
 * and their SHA-1 answered at once: a load that failed while Redis was away would otherwise fail
 * every later request; on one connection the load still runs before the call that needs it, and
 * a Redis restarted empty answers NOSCRIPT, on which the store loads them again.
 */
export function redisRateLimitStores(client: Redis, siteKey: string, onError: (error: unknown) => void): RateLimitStoreFactory {
  const sendCommand = async (command: string, ...args: string[]): Promise<RedisReply> => {
    if (command === 'SCRIPT' && args[0] === 'LOAD') {
      client.call(command, ...args).catch(onError);
      return createHash('sha1').update(args[1]!).digest('hex');
    }
    return (await client.call(command, ...args)) as RedisReply;
  };
  return (prefix) => new RedisStore({ sendCommand, prefix: `cocreate:${siteKey}:${prefix}` });
}

const accountKey = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

function limiter(options: { name: string; limit: number; windowMs: number; storeFor: RateLimitStoreFactory; byAccount?: boolean; onlyFailures?: boolean }) {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: options.storeFor(`rl:${options.name}:`),
    skipSuccessfulRequests: options.onlyFailures ?? false,
    // While Redis is away, requests pass unlimited (and the error is logged) rather than fail:
    // nobody could sign in otherwise.
    passOnStoreError: true,
    ...(options.byAccount ? { keyGenerator: accountKey, skip: (req: Request) => accountKey(req) === '' } : {}),
    handler: (req, _res, next) => {
      const resetTime = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + options.windowMs;
      next(new TooManyRequests(Math.max(1, Math.ceil((resetTime - Date.now()) / 1000))));
    },
  });
}

export function authRateLimits(settings: RateLimitSettings, storeFor: RateLimitStoreFactory = () => undefined) {
  const windowMs = settings.windowMs;
  return {
    signIn: [
      limiter({ name: 'sign-in-ip', limit: settings.signInPerIp, windowMs, storeFor }),
      limiter({ name: 'sign-in-account', limit: settings.signInPerAccount, windowMs, storeFor, byAccount: true, onlyFailures: true }),
    ],
    signUp: [limiter({ name: 'sign-up-ip', limit: settings.signUpPerIp, windowMs, storeFor })],
    reset: [limiter({ name: 'reset-ip', limit: settings.resetPerIp, windowMs, storeFor }), limiter({ name: 'reset-account', limit: settings.resetPerAccount, windowMs, storeFor, byAccount: true })],
  };
}

/** The JSON API, per client address: a tracker syncing a busy backlog stays well below it. */
export function apiRateLimit(storeFor: RateLimitStoreFactory = () => undefined, settings = { limit: 600, windowMs: 15 * 60 * 1000 }) {
  return limiter({ name: 'api-ip', limit: settings.limit, windowMs: settings.windowMs, storeFor });
}
