import type { ErasedPerson } from '../../shared/personal-data.ts';
import { IndividualActivity } from './individual-activity.model.ts';

/** The individual view's index of what the person did goes: that view then shows nothing about them. */
export async function eraseInsightsData(person: ErasedPerson): Promise<void> {
  await IndividualActivity.deleteOne({ _id: person.userId });
}
