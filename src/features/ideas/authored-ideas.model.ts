import mongoose, { Schema } from 'mongoose';

/**
 * Which ideas a person authors or co-authors, keyed by user id: "My ideas" then reads a handful
 * of ideas by _id instead of scanning the ideas collection for an author. Written for what the
 * idea boards do not hold (drafts, and co-authorships accepted, which a draft may have); an idea
 * submitted at once is found on the boards instead (authored-cache.ts), so its submission writes
 * no list. Older entries may name submitted ideas too.
 */
const authoredIdeasSchema = new Schema({ _id: { type: String, required: true }, ideaIds: { type: [Schema.Types.ObjectId], default: [] } }, { versionKey: false });

export const AuthoredIdeas = mongoose.model('AuthoredIdeas', authoredIdeasSchema);

export async function addAuthoredIdea(userId: string, ideaId: string): Promise<void> {
  await AuthoredIdeas.updateOne({ _id: userId }, { $addToSet: { ideaIds: new mongoose.Types.ObjectId(ideaId) } }, { upsert: true });
}

export async function authoredIdeaIds(userId: string): Promise<string[]> {
  const entry = await AuthoredIdeas.findById(userId).lean();
  return (entry?.ideaIds ?? []).map(String);
}
