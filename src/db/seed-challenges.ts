import mongoose from 'mongoose';
import { appendChange } from '../cluster/change-log.ts';
import { renderMarkdown } from '../shared/markdown.ts';
import { User } from '../features/accounts/user.model.ts';
import { AuthoredIdeas } from '../features/ideas/authored-ideas.model.ts';
import { Challenge } from '../features/challenges/challenge.model.ts';
import { Idea } from '../features/ideas/idea.model.ts';
import { SEGMENTS } from './seed.ts';

// A fixed id, so seeding twice finds what the first run made.
export const LARGE_CHALLENGE_ID = new mongoose.Types.ObjectId('64d000000000000000000003');

const DAY = 24 * 60 * 60 * 1000;

function schedule(openedDaysAgo: number) {
  const open = Date.now() - openedDaysAgo * DAY;
  return { open: new Date(open), curation: new Date(open + 30 * DAY), judging: new Date(open + 40 * DAY), decided: new Date(open + 50 * DAY), closed: new Date(open + 60 * DAY) };
}

function challengeDoc(id: mongoose.Types.ObjectId, createdById: mongoose.Types.ObjectId, overrides: Record<string, unknown>) {
  const brief = String(overrides.brief ?? '');
  return {
    _id: id,
    createdById,
    briefHtml: renderMarkdown(brief),
    prizes: [
      { tier: 'First prize', text: '€5,000 and a day with the product team' },
      { tier: 'Runner-up', text: '€1,000' },
    ],
    terms: 'By submitting you allow us to use and adapt your idea. You keep the right to be credited.',
    criteria: [
      { name: 'Impact', weight: 2, scaleMin: 1, scaleMax: 5, guidance: 'How many customers benefit, and how much' },
      { name: 'Feasibility', weight: 1, scaleMin: 1, scaleMax: 5, guidance: 'Could we build it this year?' },
    ],
    timezone: 'Europe/Amsterdam',
    ...overrides,
  };
}

/**
 * A large open challenge with `count` ideas from 200 members across six segments, for benchmarks
 * (`npm run seed -- --ideas 10000`). Adds only what is missing.
 */
/**
 * The large challenge's 200 authors, created where missing. Found by email in one query, not one
 * per person: the embedded engine scans the users for each (a re-seed spent 30 s here).
 */
async function crowdMembers(passwordHash: string): Promise<mongoose.Types.ObjectId[]> {
  const emails = Array.from({ length: 200 }, (_, i) => `crowd-${i}@demo.cocreate.local`);
  const idsOf = async () => new Map((await User.find({ email: mongoose.trusted({ $in: emails }) }, { _id: 1, email: 1 }).lean()).map((user) => [user.email, user._id]));
  let ids = await idsOf();
  const missing = emails
    .map((email, i) => ({ email, i }))
    .filter(({ email }) => !ids.has(email))
    .map(({ email, i }) => ({
      email,
      name: `Crowd Member ${i}`,
      passwordHash,
      roles: ['member'],
      emailVerifiedAt: new Date(),
      profile: { segment: SEGMENTS[i % SEGMENTS.length], region: ['Europe', 'North America', 'Asia'][i % 3], customerTier: ['free', 'standard', 'premium'][i % 3] },
    }));
  if (missing.length) {
    await User.insertMany(missing);
    ids = await idsOf();
  }
  return emails.map((email) => ids.get(email)!);
}

export async function seedLargeChallenge(count: number, passwordHash: string, progress: (done: number) => void = () => undefined): Promise<number> {
  const staff = await User.findOne({ email: 'staff@demo.cocreate.local' }).lean();
  if (!staff) return 0;
  if (!(await Challenge.findById(LARGE_CHALLENGE_ID).lean())) {
    await Challenge.create(
      challengeDoc(LARGE_CHALLENGE_ID, staff._id, {
        title: 'The big idea hunt',
        summary: 'A large challenge with many ideas.',
        brief: 'Anything that would make our product better.',
        phase: 'open',
        schedule: schedule(20),
        // Its ideas reach the crowd at once and all wait for screening: the crowd's and the copilots' benchmarks read them.
        crowdSees: 'submitted',
      }),
    );
  }
  const authors = await crowdMembers(passwordHash);
  const existing = await Idea.countDocuments({ challengeId: LARGE_CHALLENGE_ID });
  const words = ['export', 'dashboard', 'mobile', 'offline', 'search', 'report', 'invoice', 'reminder', 'calendar', 'sharing', 'template', 'bulk', 'filter', 'dark mode', 'shortcut', 'integration'];
  for (let start = existing; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
      const n = start + offset;
      const authorId = authors[n % authors.length]!;
      const at = new Date(Date.now() - (count - n) * 60_000);
      const title = `Idea ${n + 1}: ${words[n % words.length]} ${words[(n * 7) % words.length]}`;
      return {
        challengeId: LARGE_CHALLENGE_ID,
        authorId,
        title,
        summary: `Better ${words[n % words.length]} for ${SEGMENTS[n % SEGMENTS.length]} customers.`,
        body: 'Generated for the benchmark.',
        bodyHtml: '<p>Generated for the benchmark.</p>',
        tags: [words[n % words.length]!],
        status: 'submitted',
        submittedAt: at,
        statusHistory: [{ status: 'submitted', at, byId: authorId, byName: 'Crowd Member', note: '' }],
      };
    });
    const created = await Idea.insertMany(batch);
    const byAuthor = new Map<string, mongoose.Types.ObjectId[]>();
    for (const idea of created) byAuthor.set(String(idea.authorId), [...(byAuthor.get(String(idea.authorId)) ?? []), idea._id]);
    for (const [authorId, ideaIds] of byAuthor) await AuthoredIdeas.updateOne({ _id: authorId }, { $addToSet: { ideaIds: { $each: ideaIds } } }, { upsert: true });
    progress(start + batch.length);
  }
  // Written behind the app's services: running app processes reload their read models.
  await appendChange({ kind: 'all' });
  return Math.max(0, count - existing);
}
