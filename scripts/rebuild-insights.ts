/**
 * `npm run rebuild-insights`: drops and recomputes the insights counters, markers and SLA samples
 * from the ideas, votes, comments, comparisons, reports and users, then every person's activity
 * index (the individual view). Visitor counts have no other
 * source and are kept as they are. Connects like the other scripts: MONGODB_URI, or the embedded
 * engine on DATA_DIR (stop the server first: one engine per data directory).
 */
import { appendChange } from '../src/cluster/change-log.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { rebuildActivity } from '../src/features/insights/individual-activity.ts';
import { rebuildInsights } from '../src/features/insights/rebuild.ts';

const config = loadConfig();
const database = await openDatabase(config);
try {
  const progress = (step: string) => console.log(`  ${step}…`);
  console.log('Rebuilding the insights counters:');
  const { days, marks, ms } = await rebuildInsights(progress);
  console.log(`Insights rebuilt in ${(ms / 1000).toFixed(1)} s: ${days} day document(s), ${marks} marker(s). Visitor counts were kept (they have no other source).`);
  const started = Date.now();
  console.log('Rebuilding the activity index:');
  const { people } = await rebuildActivity(progress);
  // Running app processes reload what they keep in memory.
  await appendChange({ kind: 'all' });
  console.log(`Activity of ${people} people rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s (the individual view's index).`);
} finally {
  await database.close();
}
