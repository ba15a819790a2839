import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/http.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** With production's hash cost, so the hash dominates and a skipped one shows. */
describe('sign-up answers as fast for a registered address as for a new one', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { PASSWORD_HASH_COST: '32768' } });
  });
  after(() => app.close());

  it('does the same work (the password hash) whether or not the address has an account', async (t) => {
    const client = new TestClient(app.url);
    const registered = `taken-${Date.now()}@example.test`;
    const signUp = async (email: string) => {
      const startedAt = performance.now();
      const response = await client.submit('/sign-up', '/sign-up', { name: 'Timing Test', email, password: 'Maple-Quartz-Ferry-19' });
      assert.equal(response.status, 303);
      return performance.now() - startedAt;
    };
    await signUp(registered);
    const existing: number[] = [];
    const fresh: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      existing.push(await signUp(registered));
      fresh.push(await signUp(`fresh-${round}-${Date.now()}@example.test`));
    }
    t.diagnostic(`median ${median(existing).toFixed(0)} ms for a registered address, ${median(fresh).toFixed(0)} ms for a new one`);
    assert.ok(median(existing) > 0.6 * median(fresh), `a registered address answered in ${median(existing).toFixed(0)} ms, a new one in ${median(fresh).toFixed(0)} ms`);
  });
});
