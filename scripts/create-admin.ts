/**
 * `npm run create-admin -- --email you@example.com [--name "Your Name"] [--password …]`
 * Creates a confirmed admin, or grants admin to the existing user with that address.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { appendChange } from '../src/cluster/change-log.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { recordAudit } from '../src/features/audit/audit.service.ts';
import { hashPassword, passwordProblem } from '../src/features/accounts/passwords.ts';
import { User } from '../src/features/accounts/user.model.ts';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
const email = z.email().safeParse(values.email?.trim().toLowerCase());
if (!email.success) {
  console.error('Usage: npm run create-admin -- --email you@example.com [--name "Your Name"] [--password …]');
  process.exit(2);
}
const generated = values.password === undefined;
const password = values.password ?? randomBytes(15).toString('base64url');
const problem = passwordProblem(password, [email.data, values.name ?? '']);
if (problem) {
  console.error(`That password is refused: ${problem}`);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
try {
  const existing = await User.findOne({ email: email.data });
  if (existing) {
    const before = [...existing.roles];
    existing.roles = [...new Set([...existing.roles, 'member', 'staff', 'admin'])] as typeof existing.roles;
    await existing.save();
    // Running app processes drop the cached user (roles) within the convergence bound.
    await appendChange({ kind: 'user', id: String(existing._id) });
    await recordAudit(null, {
      action: 'user.roles_changed',
      targetType: 'user',
      targetId: String(existing._id),
      targetLabel: existing.email,
      before,
      after: existing.roles,
      reason: 'npm run create-admin',
    });
    console.log(`${email.data} already had an account: it is now an admin (its password is unchanged).`);
  } else {
    const user = await User.create({
      email: email.data,
      name: values.name ?? 'Administrator',
      passwordHash: await hashPassword(password, config.passwordHashCost),
      roles: ['member', 'staff', 'admin'],
      emailVerifiedAt: new Date(),
    });
    await recordAudit(null, { action: 'user.created_admin', targetType: 'user', targetId: String(user._id), targetLabel: user.email, after: user.roles, reason: 'npm run create-admin' });
    console.log(`Admin ${email.data} created.${generated ? ` Password: ${password}` : ''}`);
  }
} finally {
  await database.close();
}
