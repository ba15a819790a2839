import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisBus, type ClusterBus, type ClusterMessage } from '../../src/cluster/bus.ts';
import { siteKeyOf } from '../../src/cluster/site-key.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { redisRateLimitStores } from '../../src/web/rate-limits.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { createUser } from '../helpers/users.ts';

const wrongSignIn = (app: TestApp, email: string) => new TestClient(app.url).submit('/sign-in', '/sign-in', { email, password: 'wrong-password-here' });

/** Two sites on one Redis (a Redis of the test's own), the first served by two app processes. */
describe('limits shared across app processes, and sites kept apart on one Redis', () => {
  const logger = createLogger('silent');
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const clients: Redis[] = [];
  const buses: ClusterBus[] = [];
  const sites = {
    a: siteKeyOf({ siteKey: undefined, mongodbUri: 'mongodb://db.example.test:27017/a', dataDir: '' }, 'a'),
    b: siteKeyOf({ siteKey: undefined, mongodbUri: undefined, dataDir: '/srv/b' }, 'b'),
  };
  const apps: Record<'a1' | 'a2' | 'b1', TestApp> = {} as never;
  before(async () => {
    redis = await startRedisServer();
    const withLimits = async (site: string) => {
      const client = new Redis(redis.url);
      clients.push(client);
      const bus = createRedisBus({ redisUrl: redis.url, logger, namespace: site });
      buses.push(bus);
      return startTestApp({ clusterBus: bus, rateLimitStore: redisRateLimitStores(client, site, () => undefined), rateLimits: { signInPerAccount: 5 } });
    };
    apps.a1 = await withLimits(sites.a);
    apps.a2 = await withLimits(sites.a);
    apps.b1 = await withLimits(sites.b);
  });
  after(async () => {
    for (const bus of buses) await bus.close();
    for (const client of clients) client.disconnect();
    for (const app of Object.values(apps)) await app.close();
    await redis.kill();
  });

  it('refuses the sixth wrong password for one account with 429 when the attempts alternate between two processes', async () => {
    const user = await createUser();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) statuses.push((await wrongSignIn(attempt % 2 === 0 ? apps.a1 : apps.a2, user.email)).status);
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
    // The other site, on the same Redis, counts its own attempts.
    assert.equal((await wrongSignIn(apps.b1, user.email)).status, 400);
  });

  it('tells the processes of one site what changed, and never another site on the same Redis', async () => {
    assert.notEqual(sites.a, sites.b);
    const heard: Record<string, ClusterMessage[]> = { a2: [], b1: [] };
    const listen = (site: string, into: ClusterMessage[]) => {
      const bus = createRedisBus({ redisUrl: redis.url, logger, namespace: site });
      buses.push(bus);
      bus.onMessage((message) => into.push(message));
      return bus;
    };
    const a1 = listen(sites.a, []);
    listen(sites.a, heard.a2!);
    listen(sites.b, heard.b1!);
    // Subscriptions are in place once a round trip on a fresh connection answers.
    const probe = new Redis(redis.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await probe.ping();
    probe.disconnect();
    a1.publish({ kind: 'challenge', id: 'site-a-only' });
    const deadline = Date.now() + 3_000;
    while (heard.a2!.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(heard.a2, [{ kind: 'challenge', id: 'site-a-only' }]);
    assert.deepEqual(heard.b1, []);
  });

  it('derives a different key for another database, the same for every process of one, and takes SITE_KEY as given', () => {
    const embedded = (dataDir: string, name: string) => siteKeyOf({ siteKey: undefined, mongodbUri: undefined, dataDir }, name);
    assert.equal(embedded('/srv/one', 'cocreate'), embedded('/srv/one', 'cocreate'));
    assert.notEqual(embedded('/srv/one', 'cocreate'), embedded('/srv/two', 'cocreate'));
    const mongo = (uri: string, name: string) => siteKeyOf({ siteKey: undefined, mongodbUri: uri, dataDir: '/ignored' }, name);
    // Credentials and host order do not matter; the database does.
    assert.equal(mongo('mongodb://u:p@h1:27017,h2:27017/x?replicaSet=r', 'x'), mongo('mongodb://h2:27017,h1:27017/x', 'x'));
    assert.notEqual(mongo('mongodb://h1:27017/x', 'x'), mongo('mongodb://h1:27017/y', 'y'));
    assert.equal(siteKeyOf({ siteKey: 'ideas-prod', mongodbUri: undefined, dataDir: '/srv/one' }, 'cocreate'), 'ideas-prod');
  });
});
