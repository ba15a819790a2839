import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { Idea, IdeaRevision, PendingCoAuthorInvite } from './idea.model.ts';

/** The ideas the person wrote or co-wrote, each with its earlier revisions and its attachments' names. */
export async function ideasData(userId: string) {
  const id = new mongoose.Types.ObjectId(userId);
  // A scan, as for an erasure: an archive is rare and must hold every idea of theirs (an idea
  // submitted at once is on no stored list of its author's: authored-ideas.model.ts).
  const theirs = (await Idea.find({ $or: [{ authorId: id }, { 'coAuthors.userId': id }] }).lean())
    .filter((idea) => String(idea.authorId) === userId || idea.coAuthors.some((c) => String(c.userId) === userId && c.status === 'accepted'))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const ideas = [];
  for (const idea of theirs) {
    const ideaId = String(idea._id);
    const revisions = [];
    for (let number = 1; number <= idea.revision; number += 1) {
      const revision = await IdeaRevision.findById(`${ideaId}:${number}`).lean();
      if (revision) revisions.push({ number, at: revision.at, title: revision.title, summary: revision.summary, body: revision.body, fieldValues: revision.fieldValues, tags: revision.tags });
    }
    ideas.push({
      id: ideaId,
      challengeId: String(idea.challengeId),
      role: String(idea.authorId) === userId ? 'author' : 'co-author',
      title: idea.title,
      summary: idea.summary,
      body: idea.body,
      fieldValues: idea.fieldValues,
      tags: idea.tags,
      status: idea.status,
      submittedAt: idea.submittedAt,
      attachments: idea.attachments.map((attachment) => attachment.filename),
      revisions,
    });
  }
  return ideas;
}

const renamed = <T extends { byId?: unknown; byName?: string | null }>(entry: T, userId: string): T => (String(entry.byId) === userId ? { ...entry, byName: DELETED_USER } : entry);

/**
 * The ideas stay (their author now shows as "Deleted user", from the erased account); the name
 * copied into their histories, decisions and revisions goes, and so do invitations to the address.
 */
export async function eraseIdeasData(person: ErasedPerson): Promise<void> {
  const id = new mongoose.Types.ObjectId(person.userId);
  // Scans: an erasure is rare, and its correctness matters more than its speed.
  for (const idea of await Idea.find({ $or: [{ 'statusHistory.byId': id }, { 'decision.byId': id }, { invitedEmails: person.email }] }).lean()) {
    await Idea.updateOne(
      { _id: idea._id },
      {
        $set: {
          statusHistory: idea.statusHistory.map((entry) => renamed(entry, person.userId)),
          decision: idea.decision ? renamed(idea.decision, person.userId) : null,
          invitedEmails: (idea.invitedEmails ?? []).filter((email) => email !== person.email),
        },
      },
    );
  }
  await IdeaRevision.updateMany({ byId: id }, { $set: { byName: DELETED_USER } });
  // A copilot's hiding keeps only their name (no id).
  await Idea.updateMany({ 'hidden.byName': person.name }, { $set: { 'hidden.byName': DELETED_USER } });
  await PendingCoAuthorInvite.deleteOne({ _id: person.email });
}
