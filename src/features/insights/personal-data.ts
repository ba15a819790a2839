import type { ErasedPerson } from '../../shared/personal-data.ts';
import { ActivityBucket, activityBucketIds, IndividualActivity } from './individual-activity.model.ts';

/** The individual view's index of what the person did goes: that view then shows nothing about them. */
export async function eraseInsightsData(person: ErasedPerson): Promise<void> {
  // By _id, one at a time: a `$in` on _id scans on the embedded engine.
  for (const id of activityBucketIds(person.userId)) await ActivityBucket.deleteOne({ _id: id });
  await IndividualActivity.deleteOne({ _id: person.userId });
}
