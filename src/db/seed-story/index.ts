import type { EventBus } from '../../shared/events.ts';
import { tellClosedChallenge } from './closed-challenge.ts';
import { tellCurationChallenge } from './curation-challenge.ts';
import { loadCast, type Services, type Story } from './kit.ts';
import { tellSideBySide, withStoryCalendar } from './story-clock.ts';
import { tellJudgingChallenge } from './judging-challenge.ts';
import { tellOpenChallenge } from './open-challenge.ts';
import { INVOICES, OFFLINE, ONBOARDING, STORIES } from './texts.ts';

const CHAPTERS = [
  { title: ONBOARDING.title, tell: tellClosedChallenge },
  { title: INVOICES.title, tell: tellJudgingChallenge },
  { title: STORIES.title, tell: tellCurationChallenge },
  { title: OFFLINE.title, tell: tellOpenChallenge },
];

/**
 * The demo's four challenges, one per stage of the product, played through the same service
 * functions as real clicks: the domain events they emit feed the insights counters, the
 * notifications and the activity index exactly as real activity does. A challenge whose title
 * exists already is skipped, so seeding twice adds nothing. Needs the demo people (seed.ts).
 */
export async function seedStory(deps: { services: Services; events: EventBus; progress: (line: string) => void }): Promise<number> {
  const cast = await loadCast();
  const story: Story = { services: deps.services, cast, progress: deps.progress, settled: () => deps.events.settled() };
  await deps.services.backlogs.setOwners(cast.admin, 'product', [cast.staff.email]);
  await deps.services.backlogs.setOwners(cast.admin, 'marketing', [cast.staff.email, cast.admin.email]);
  const existing = new Set((await deps.services.challenges.listChallenges(cast.admin, { phase: '', audience: '', mine: null })).map((challenge) => challenge.title));
  const untold = CHAPTERS.filter((chapter) => !existing.has(chapter.title));
  return withStoryCalendar(async () => {
    await tellSideBySide(untold.map((chapter) => () => chapter.tell(story)));
    // The counters, notifications and activity index are written by subscribers: let them finish.
    await deps.events.settled();
    return untold.length;
  });
}
