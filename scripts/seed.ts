/**
 * `npm run seed [-- --ideas N]`: creates the demo people and the four demo challenges that are
 * missing (safe to run twice); with --ideas, also a large open challenge with N ideas for benchmarks.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { hashPassword } from '../src/features/accounts/passwords.ts';
import { seedLargeChallenge } from '../src/db/seed-challenges.ts';
import { seedDemo } from '../src/db/seed-demo.ts';
import { openDatabase } from '../src/db/database.ts';
import { DEMO_PASSWORD, describeDemoUsers } from '../src/db/seed.ts';
import { createLogger } from '../src/shared/logger.ts';

const { values } = parseArgs({ options: { ideas: { type: 'string' } } });
const ideaCount = values.ideas === undefined ? 0 : Number(values.ideas);
if (!Number.isInteger(ideaCount) || ideaCount < 0 || ideaCount > 200_000) {
  console.error('--ideas takes a whole number from 0 to 200000');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
try {
  const demo = await seedDemo({ config, logger: createLogger('warn'), progress: (line) => console.log(`  seeding ${line}…`) });
  const created = demo.users.filter((user) => user.created).length;
  console.log(
    `${created} demo account(s) created, ${demo.users.length - created} already there; ${demo.challenges} demo challenge(s) created (${(demo.ms / 1000).toFixed(1)} s).\n${describeDemoUsers(demo.users)}`,
  );
  if (ideaCount > 0) {
    const added = await seedLargeChallenge(ideaCount, await hashPassword(DEMO_PASSWORD, config.passwordHashCost), (done) => console.log(`  large challenge: ${done} of ${ideaCount} ideas`));
    console.log(`Large challenge: ${added} idea(s) added (${ideaCount} in all) at /challenges/64d000000000000000000003.`);
  }
} finally {
  await database.close();
}
