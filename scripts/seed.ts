/**
 * `npm run seed [-- --ideas N]`: creates the demo accounts and challenges that are missing (safe
 * to run twice); with --ideas, also a large open challenge with N ideas for benchmarks.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { hashPassword } from '../src/features/accounts/passwords.ts';
import { seedDemoChallenges, seedLargeChallenge } from '../src/db/seed-challenges.ts';
import { openDatabase } from '../src/db/database.ts';
import { DEMO_PASSWORD, describeDemoUsers, seedDemoData } from '../src/db/seed.ts';

const { values } = parseArgs({ options: { ideas: { type: 'string' } } });
const ideaCount = values.ideas === undefined ? 0 : Number(values.ideas);
if (!Number.isInteger(ideaCount) || ideaCount < 0 || ideaCount > 200_000) {
  console.error('--ideas takes a whole number from 0 to 200000');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
try {
  const seeded = await seedDemoData({ passwordHashCost: config.passwordHashCost });
  const created = seeded.filter((user) => user.created).length;
  console.log(`${created} demo account(s) created, ${seeded.length - created} already there.\n${describeDemoUsers(seeded)}`);
  console.log(`${await seedDemoChallenges()} demo challenge(s) created.`);
  if (ideaCount > 0) {
    const added = await seedLargeChallenge(ideaCount, await hashPassword(DEMO_PASSWORD, config.passwordHashCost));
    console.log(`Large challenge: ${added} idea(s) added (${ideaCount} in all) at /challenges/64d000000000000000000003.`);
  }
} finally {
  await database.close();
}
