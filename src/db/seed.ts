import type { Role } from '../shared/actor.ts';
import { hashPassword } from '../features/accounts/passwords.ts';
import { User } from '../features/accounts/user.model.ts';

export const DEMO_PASSWORD = 'Tulip-Harbor-Lantern-42';

const DEMO_USERS: Array<{ email: string; name: string; roles: Role[]; profile: Record<string, unknown> }> = [
  { email: 'admin@demo.cocreate.local', name: 'Ada Admin', roles: ['member', 'staff', 'admin'], profile: { organisation: 'Cocreate' } },
  { email: 'staff@demo.cocreate.local', name: 'Sam Staff', roles: ['member', 'staff'], profile: { organisation: 'Cocreate' } },
  {
    email: 'specialist@demo.cocreate.local',
    name: 'Priya Specialist',
    roles: ['member', 'specialist'],
    profile: { organisation: 'Studio North', segment: 'Agencies', region: 'Europe', customerTier: 'premium', skills: ['UX research', 'Prototyping'] },
  },
  {
    email: 'member@demo.cocreate.local',
    name: 'Max Member',
    roles: ['member'],
    profile: { organisation: 'Acme Retail', segment: 'Retail', region: 'North America', customerTier: 'standard' },
  },
];

export type SeededUser = { email: string; name: string; roles: Role[]; created: boolean };

/** Creates the demo accounts that do not exist yet; safe to run any number of times. */
export async function seedDemoData(options: { passwordHashCost: number }): Promise<SeededUser[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD, options.passwordHashCost);
  const results: SeededUser[] = [];
  for (const demo of DEMO_USERS) {
    const result = await User.updateOne(
      { email: demo.email },
      { $setOnInsert: { ...demo, passwordHash, emailVerifiedAt: new Date() } },
      { upsert: true },
    );
    results.push({ email: demo.email, name: demo.name, roles: demo.roles, created: result.upsertedCount === 1 });
  }
  return results;
}

export async function databaseIsEmpty(): Promise<boolean> {
  return (await User.estimatedDocumentCount()) === 0;
}

export function describeDemoUsers(users: SeededUser[]): string {
  const lines = users.map((user) => `  ${user.email.padEnd(34)} ${user.roles.join(', ')}`);
  return `Demo accounts (password for all: ${DEMO_PASSWORD}):\n${lines.join('\n')}`;
}
