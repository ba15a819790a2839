import { randomBytes } from 'node:crypto';
import { createApp } from '../app.ts';
import { appendChange, unrecordedChanges } from '../cluster/change-log.ts';
import { inProcessConsumers } from '../cluster/outbox.ts';
import type { Config } from '../config.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Logger } from '../shared/logger.ts';
import { seedDemoData, type SeededUser } from './seed.ts';
import { seedStory } from './seed-story/index.ts';

// The demo's addresses do not exist: whatever the story would email is dropped, even when SMTP_URL is set.
const noMail: Mailer = { send: async () => undefined, outbox: () => [] };

/**
 * The whole demo: people, then the four challenges' story, played on an app instance of its own
 * (its services, subscribers and read models) that is dropped afterwards; the serving app
 * builds its read models from the database (running ones reload them: see the change log). Safe to run again: only what is missing is added.
 */
export async function seedDemo(options: { config: Config; logger: Logger; progress: (line: string) => void }): Promise<{ users: SeededUser[]; challenges: number; ms: number }> {
  const started = Date.now();
  options.progress('demo people');
  const users = await seedDemoData({ passwordHashCost: options.config.passwordHashCost });
  // The seeding app serves no request, so it signs nothing: any session secret will do.
  const config = { ...options.config, sessionSecret: options.config.sessionSecret ?? randomBytes(32).toString('hex') };
  const { services, events } = createApp({ config, logger: options.logger, mailer: noMail, changeLog: unrecordedChanges, outbox: inProcessConsumers });
  const challenges = await seedStory({ services, events, progress: options.progress });
  // Thousands of changes at once: running app processes reload everything once, rather than each.
  await appendChange({ kind: 'all' });
  return { users, challenges, ms: Date.now() - started };
}
