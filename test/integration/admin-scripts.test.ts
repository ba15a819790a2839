import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { describeDemoUsers, seedDemoData } from '../../src/db/seed.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { useTestDatabase } from '../helpers/database.ts';
import { TYPESCRIPT_LOADER } from '../../scripts/typescript-loader.ts';

const run = promisify(execFile);

describe('seeding and the first admin', () => {
  let close: () => Promise<void>;
  let uri: string;
  before(async () => {
    close = await useTestDatabase();
    const { host, port, name } = mongoose.connection;
    uri = `mongodb://${host}:${port}/${name}?directConnection=true`;
  });
  after(() => close());

  it('creates the demo accounts (one per role, and a copilot) and a crowd in six segments, and running it again changes nothing', async () => {
    const first = await seedDemoData({ passwordHashCost: 1024 });
    const second = await seedDemoData({ passwordHashCost: 1024 });
    assert.equal(first.filter((user) => user.created).length, 5);
    assert.equal(second.filter((user) => user.created).length, 0);
    // 5 demo accounts, a third staff judge, 36 crowd members.
    assert.equal(await User.countDocuments({ email: /@demo\.cocreate\.local$/ }), 42);
    for (const segment of ['Retail', 'Healthcare', 'Finance', 'Education', 'Agencies', 'Public sector']) {
      assert.ok((await User.countDocuments({ 'profile.segment': segment })) >= 5, `five or more people in ${segment}`);
    }
    const roles = new Set(first.flatMap((user) => user.roles));
    assert.deepEqual([...roles].sort(), ['admin', 'member', 'specialist', 'staff']);
    assert.match(describeDemoUsers(first), /password for all: /);
  });

  it('creates an admin from the command line, and promotes an existing user', async () => {
    const env = { ...process.env, MONGODB_URI: uri, PASSWORD_HASH_COST: '1024', LOG_LEVEL: 'silent' };
    const created = await run(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/create-admin.ts', '--email', 'First.Admin@Example.test', '--name', 'First Admin'], { env });
    assert.match(created.stdout, /Admin first\.admin@example\.test created\. Password: \S{12,}/);
    assert.deepEqual((await User.findOne({ email: 'first.admin@example.test' }).lean())?.roles, ['member', 'staff', 'admin']);

    await User.create({ email: 'existing@example.test', name: 'Existing', passwordHash: 'x' });
    const promoted = await run(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/create-admin.ts', '--email', 'existing@example.test'], { env });
    assert.match(promoted.stdout, /is now an admin/);
    assert.ok((await User.findOne({ email: 'existing@example.test' }).lean())?.roles.includes('admin'));
  });

  it('refuses a missing or malformed email with usage help', async () => {
    const failure = await run(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/create-admin.ts', '--email', 'nope'], { env: { ...process.env, MONGODB_URI: uri } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal((failure as { code: number }).code, 2);
    assert.match((failure as { stderr: string }).stderr, /Usage: npm run create-admin/);
  });
});
