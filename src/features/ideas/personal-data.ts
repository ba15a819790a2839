import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { authoredIdeaIds } from './authored-ideas.model.ts';
import { Idea, IdeaRevision, PendingCoAuthorInvite } from './idea.model.ts';

/** The ideas the person wrote or co-wrote, each with its earlier revisions and its attachments' names. */
export async function ideasData(userId: string) {
  const ideas = [];
  for (const ideaId of await authoredIdeaIds(userId)) {
    const idea = await Idea.findById(ideaId).lean();
    if (!idea) continue;
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
