import mongoose from 'mongoose';
import { renamedEntries, type ErasedPerson } from '../../shared/personal-data.ts';
import { Challenge } from './challenge.model.ts';

/** Phase moves the person made keep their date and reason, not the name. Returns the challenges changed (their cached copies are stale). */
export async function eraseChallengesData(person: ErasedPerson): Promise<string[]> {
  const changed: string[] = [];
  for (const challenge of await Challenge.find({ 'phaseHistory.byId': new mongoose.Types.ObjectId(person.userId) }, { phaseHistory: 1 }).lean()) {
    await Challenge.updateOne({ _id: challenge._id }, { $set: { phaseHistory: renamedEntries(challenge.phaseHistory, person) } });
    changed.push(String(challenge._id));
  }
  return changed;
}
