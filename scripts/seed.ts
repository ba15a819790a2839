/** `npm run seed`: creates the demo accounts that are missing (safe to run twice). */
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { describeDemoUsers, seedDemoData } from '../src/db/seed.ts';

const config = loadConfig();
const database = await openDatabase(config);
try {
  const seeded = await seedDemoData({ passwordHashCost: config.passwordHashCost });
  const created = seeded.filter((user) => user.created).length;
  console.log(`${created} demo account(s) created, ${seeded.length - created} already there.\n${describeDemoUsers(seeded)}`);
} finally {
  await database.close();
}
