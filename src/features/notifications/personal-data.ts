import mongoose from 'mongoose';
import { personPattern, withoutPerson, type ErasedPerson } from '../../shared/personal-data.ts';
import { Inbox, Notification, PendingDigest } from './notification.model.ts';

export async function notificationsData(userId: string) {
  const notices = await Notification.find({ userId: new mongoose.Types.ObjectId(userId) }).lean();
  return notices.sort((a, b) => a.seq - b.seq).map((notice) => ({ kind: notice.kind, text: notice.text, link: notice.link, read: notice.read, at: notice.at }));
}

/** The person's inbox goes; other people's notices that named them say "Deleted user" instead. */
export async function eraseNotificationsData(person: ErasedPerson): Promise<void> {
  await Notification.deleteMany({ userId: new mongoose.Types.ObjectId(person.userId) });
  await Inbox.deleteOne({ _id: person.userId });
  await PendingDigest.deleteOne({ _id: person.userId });
  for (const notice of await Notification.find({ text: personPattern(person) }).lean()) {
    await Notification.updateOne({ _id: notice._id }, { $set: { text: withoutPerson(notice.text, person) } });
  }
}
