import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { Claim } from './claim.model.ts';
import { Merge } from './merge.model.ts';
import { Shortlist } from './shortlist.model.ts';

/** A copilot's claims end; merges and shortlist entries they made keep everything but the name. */
export async function eraseCurationData(person: ErasedPerson): Promise<void> {
  const id = new mongoose.Types.ObjectId(person.userId);
  await Claim.deleteMany({ holderId: id });
  await Merge.updateMany({ byId: id }, { $set: { byName: DELETED_USER } });
  for (const shortlist of await Shortlist.find({ 'entries.addedById': id }).lean()) {
    const entries = shortlist.entries.map((entry) => (String(entry.addedById) === person.userId ? { ...entry, addedByName: DELETED_USER } : entry));
    await Shortlist.updateOne({ _id: shortlist._id }, { $set: { entries }, $inc: { version: 1 } });
  }
}
