import mongoose from 'mongoose';
import { DELETED_USER, renamedEntries, type ErasedPerson } from '../../shared/personal-data.ts';
import { ApiToken } from './api-token.model.ts';
import { BacklogItem } from './backlog.model.ts';

/** Status moves and API tokens the person made keep everything but the name. */
export async function eraseBacklogsData(person: ErasedPerson): Promise<void> {
  for (const item of await BacklogItem.find({ 'statusHistory.byId': new mongoose.Types.ObjectId(person.userId) }, { statusHistory: 1 }).lean()) {
    await BacklogItem.updateOne({ _id: item._id }, { $set: { statusHistory: renamedEntries(item.statusHistory, person) } });
  }
  await ApiToken.updateMany({ createdByName: person.name }, { $set: { createdByName: DELETED_USER } });
}
