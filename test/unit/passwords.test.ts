import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/features/accounts/passwords.ts';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('Velvet-Canyon-Orbit-73', 1024);
    assert.equal(await verifyPassword('Velvet-Canyon-Orbit-73', hash), true);
    assert.equal(await verifyPassword('Velvet-Canyon-Orbit-74', hash), false);
  });

  it('salts every hash and records its cost', async () => {
    const first = await hashPassword('Velvet-Canyon-Orbit-73', 1024);
    const second = await hashPassword('Velvet-Canyon-Orbit-73', 2048);
    assert.notEqual(first, second);
    assert.match(first, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword('Velvet-Canyon-Orbit-73', second), true);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    assert.equal(await verifyPassword('anything', 'not-a-hash'), false);
  });

  it('refuses short, common and name-based passwords, and accepts a long phrase', () => {
    assert.match(passwordProblem('short') ?? '', /at least 10/);
    assert.match(passwordProblem('password123') ?? '', /too common/);
    assert.match(passwordProblem('qwertyuiop') ?? '', /too common/);
    assert.match(passwordProblem('margaretsmith1', ['Margaret Smith', 'margaretsmith@x.test']) ?? '', /too common/);
    assert.match(passwordProblem('x'.repeat(201)) ?? '', /at most 200/);
    assert.equal(passwordProblem('Velvet-Canyon-Orbit-73'), null);
  });
});
