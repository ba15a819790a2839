/**
 * Seeds the benchmark's 50-idea challenge (ids and data from challenge-data.ts) the way
 * src/db/seed-challenges.ts seeds its large challenge, which must exist already: the new
 * challenge is a copy of it (same brief, prizes, terms, criteria, schedule, phase "open") under
 * another id and title, and its ideas are authored by the same crowd members.
 */
import mongoose from 'mongoose';
import { User } from '../../src/features/accounts/user.model.ts';
import { Challenge } from '../../src/features/challenges/challenge.model.ts';
import { AuthoredIdeas } from '../../src/features/ideas/authored-ideas.model.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { LARGE_CHALLENGE_ID } from '../../src/db/seed-challenges.ts';
import { FIFTY_CHALLENGE_ID, fiftyIdeas } from './challenge-data.ts';

export async function seedFiftyIdeaChallenge(now: number): Promise<void> {
  const large = await Challenge.findById(LARGE_CHALLENGE_ID).lean();
  if (!large) throw new Error('seed the large challenge (seedLargeChallenge) before the 50-idea one');
  const challengeId = new mongoose.Types.ObjectId(FIFTY_CHALLENGE_ID);
  const { _id: _oldId, createdAt: _created, updatedAt: _updated, __v: _version, ...fields } = large as typeof large & { createdAt?: Date; updatedAt?: Date; __v?: number };
  await Challenge.create({ ...fields, _id: challengeId, title: 'The small idea hunt', summary: 'A challenge with fifty ideas.' });

  const ideas = fiftyIdeas(now);
  const emails = [...new Set(ideas.map((idea) => `crowd-${idea.authorIndex}@demo.cocreate.local`))];
  const users = await Promise.all(emails.map((email) => User.findOne({ email }, { _id: 1, name: 1 }).lean()));
  const byEmail = new Map(
    users.map((user, i) => {
      if (!user) throw new Error(`${emails[i]} is missing: seed the large challenge first`);
      return [emails[i]!, user] as const;
    }),
  );
  const created = await Idea.insertMany(
    ideas.map((idea) => {
      const author = byEmail.get(`crowd-${idea.authorIndex}@demo.cocreate.local`)!;
      if (author.name !== idea.authorName) throw new Error(`crowd member ${idea.authorIndex} is named "${author.name}", not "${idea.authorName}"`);
      return {
        _id: new mongoose.Types.ObjectId(idea.id),
        challengeId,
        authorId: author._id,
        title: idea.title,
        summary: idea.summary,
        body: 'Generated for the benchmark.',
        bodyHtml: '<p>Generated for the benchmark.</p>',
        tags: idea.tags,
        status: 'submitted',
        submittedAt: idea.submittedAt,
        statusHistory: [{ status: 'submitted', at: idea.submittedAt, byId: author._id, byName: 'Crowd Member', note: '' }],
      };
    }),
  );
  const byAuthor = new Map<string, mongoose.Types.ObjectId[]>();
  for (const idea of created) byAuthor.set(String(idea.authorId), [...(byAuthor.get(String(idea.authorId)) ?? []), idea._id]);
  for (const [authorId, ideaIds] of byAuthor) await AuthoredIdeas.updateOne({ _id: authorId }, { $addToSet: { ideaIds: { $each: ideaIds } } }, { upsert: true });
}
