import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { createApp } from '../../app.ts';
import { toActor } from '../../features/accounts/actor-of-user.ts';
import { User } from '../../features/accounts/user.model.ts';
import { challengeInput } from '../../features/challenges/challenges.schemas.ts';
import type { Phase } from '../../features/challenges/phases.ts';
import { ideaInput } from '../../features/ideas/ideas.schemas.ts';
import type { Actor } from '../../shared/actor.ts';
import { CROWD, DEMO_USERS, EXTRA_STAFF } from '../seed.ts';
import { on, spread } from './story-clock.ts';

export type Services = ReturnType<typeof createApp>['services'];
export type Cast = {
  admin: Actor;
  staff: Actor;
  copilot: Actor;
  judge: Actor;
  specialist: Actor;
  member: Actor;
  /** The demo crowd, in a fixed order (six per segment). */
  crowd: Actor[];
};

/**
 * Everything a story step needs: the app's services, the people, a line of progress, and a wait
 * for what the subscribers are still doing (they apply events side by side, not in order).
 */
export type Story = { services: Services; cast: Cast; progress: (line: string) => void; settled: () => Promise<void> };

export async function loadCast(): Promise<Cast> {
  const emails = [...DEMO_USERS, EXTRA_STAFF, ...CROWD].map((person) => person.email);
  const users = new Map((await Promise.all(emails.map((email) => User.findOne({ email }).lean()))).filter((user) => user !== null).map((user) => [user.email, toActor(user)]));
  const actor = (email: string) => {
    const found = users.get(email);
    if (!found) throw new Error(`The demo account ${email} is missing: seed the people first.`);
    return found;
  };
  return {
    admin: actor('admin@demo.cocreate.local'),
    staff: actor('staff@demo.cocreate.local'),
    copilot: actor('copilot@demo.cocreate.local'),
    judge: actor(EXTRA_STAFF.email),
    specialist: actor('specialist@demo.cocreate.local'),
    member: actor('member@demo.cocreate.local'),
    crowd: CROWD.map((person) => actor(person.email)),
  };
}

const DAY = 24 * 60 * 60 * 1000;
const TIME_ZONE = 'Europe/Amsterdam';
const PHASE_ORDER = ['open', 'curation', 'judging', 'appeals', 'decided', 'closed'] as const;

/** The schedule fields of the challenge form, each phase starting `days` from now (negative: past). */
export function scheduleFields(days: Partial<Record<(typeof PHASE_ORDER)[number], number>>): Record<string, string> {
  return Object.fromEntries(
    PHASE_ORDER.map((phase) => {
      const offset = days[phase];
      return [`start_${phase}`, offset === undefined ? '' : DateTime.fromMillis(Date.now() + offset * DAY, { zone: TIME_ZONE }).toFormat("yyyy-MM-dd'T'HH:mm")];
    }),
  );
}

// While a story is played every phase starts in the future, so the scheduler never moves a
// challenge under the seed's feet; the real (past) schedule is saved when the story is told.
const FUTURE = { open: 400, curation: 410, judging: 420, appeals: 425, decided: 430, closed: 440 };

export type ChallengeStory = { id: string; form: Record<string, string> };

export type ChallengeText = { title: string; summary: string; brief: string };

/** Two criteria on 1–10, the scorecard every demo challenge uses. */
const CRITERIA = 'Impact | 2 | 1-10 | How many customers benefit, and how much\nFeasibility | 1 | 1-10 | Could we build it this year?';

/** Creates a challenge as staff fill the form (Cleo its copilot), and opens it for ideas, `day` days from now. */
export function launchChallenge(story: Story, text: ChallengeText, form: Record<string, string>, day: number): Promise<ChallengeStory> {
  return on(day, () => launchNow(story, text, form));
}

async function launchNow(story: Story, text: ChallengeText, form: Record<string, string>): Promise<ChallengeStory> {
  const full = {
    title: text.title,
    summary: text.summary,
    brief: text.brief,
    audience: 'public',
    invitedEmails: '',
    submissionVisibility: 'open',
    fields: '',
    criteria: CRITERIA,
    timezone: TIME_ZONE,
    copilots: story.cast.copilot.email,
    judges: '',
    ...form,
    ...scheduleFields(FUTURE),
  };
  const id = await story.services.challenges.createChallenge(story.cast.staff, challengeInput.parse(full));
  const challenge = { id, form: full };
  await movePhases(story, challenge, ['open'], 'Launch');
  return challenge;
}

export async function movePhases(story: Story, challenge: ChallengeStory, phases: Phase[], reason: string): Promise<void> {
  for (const phase of phases) await story.services.challenges.movePhase(story.cast.staff, challenge.id, phase, reason);
}

/** Saves the schedule the challenge would have had to be where it is now (days from now). */
export async function settleSchedule(story: Story, challenge: ChallengeStory, days: Parameters<typeof scheduleFields>[0]): Promise<void> {
  await story.services.challenges.updateChallenge(story.cast.staff, challenge.id, challengeInput.parse({ ...challenge.form, ...scheduleFields(days) }));
  await story.services.challenges.dateMovesBySchedule(challenge.id);
}

export type IdeaText = { title: string; summary: string; body: string; tags: string };

/** `day`: when it was submitted, in days from now (see story-clock.ts). */
export type SeededIdea = { id: string; author: Actor; title: string; day: number };

/**
 * Ideas submitted through the idea form's service, as their authors would, in the texts' order,
 * spread over `days` (from, to: days from now). `screen` (the copilot's decision on idea n, if any)
 * follows each submission at once, not after all of them: the chapter's days then run forwards, so
 * the chapters told beside it (story-clock.ts) are not held behind its last submission's day and
 * then overtaken by its first approvals.
 */
export async function submitIdeas(
  story: Story,
  challengeId: string,
  texts: IdeaText[],
  authorOf: (n: number) => Actor,
  days: [number, number],
  screen: (idea: SeededIdea, n: number) => Promise<void> = async () => {},
): Promise<SeededIdea[]> {
  return fewAtATime(texts, async (text, n) => {
    const author = authorOf(n);
    const day = spread(days[0], days[1], n, texts.length);
    const body = { idempotencyKey: randomUUID(), ...text, acceptTerms: 'on', intent: 'submit' };
    const { ideaId } = await on(day, () => story.services.ideas.createIdea(author, challengeId, ideaInput.parse(body), body));
    const idea = { id: ideaId, author, title: text.title, day };
    await screen(idea, n);
    return idea;
  });
}

/** The copilot approves the idea `after` days after it came in (a day, unless said). */
export function approve(story: Story, copilot: Actor, challengeId: string, idea: SeededIdea, message = '', after = 1): Promise<void> {
  return decide(story, challengeId, idea, { kind: 'approve', reason: '', message }, after);
}

/** Cleo's screening decision on the idea, `after` days after it came in. */
export async function decide(
  story: Story,
  challengeId: string,
  idea: SeededIdea,
  decision: { kind: 'approve' | 'reject' | 'request-changes'; reason: string; message: string },
  after: number,
): Promise<void> {
  await on(idea.day + after, () => story.services.screening.decide(story.cast.copilot, challengeId, idea.id, { ...decision, responseId: '' }));
}

/** A small deterministic generator: the demo is the same on every machine. */
export function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` voters from the crowd, starting at `from`, wrapping round. */
export function crowdSlice(cast: Cast, from: number, count: number): Actor[] {
  return Array.from({ length: count }, (_, n) => cast.crowd[(from + n) % cast.crowd.length]!);
}

/** Waits for what a subscriber does after an event (e.g. judging assigning the frozen shortlist). */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  // Real time: the story's calendar (story-clock.ts) may put this step in the past.
  const deadline = performance.now() + 20_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Seeding gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `act` over the items, a few at a time, keeping their order in the result: requests from
 * different people overlap as they would on a live site.
 */
export async function fewAtATime<T, R>(items: readonly T[], act: (item: T, index: number) => Promise<R>, width = 4): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await act(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
