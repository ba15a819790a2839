import mongoose from 'mongoose';
import { translate } from '../../i18n/i18n.ts';
import { notifications as catalogue } from '../../i18n/catalogue/notifications.ts';
import { personPattern, withoutPerson, type ErasedPerson } from '../../shared/personal-data.ts';
import { Inbox, NewsWindows, Notification, noticeText, PendingDigest } from './notification.model.ts';

export async function notificationsData(userId: string) {
  const notices = await Notification.find({ userId: new mongoose.Types.ObjectId(userId) }).lean();
  return notices.sort((a, b) => a.seq - b.seq).map((notice) => ({ kind: notice.kind, text: translate('en', noticeText(notice)), link: notice.link, read: notice.read, at: notice.at }));
}

// Every value a notice can hold (`{{name}}`, `{{title}}`…): a copied name may be in any of them.
const PARAM_NAMES = [...new Set(Object.values(catalogue.en).flatMap((text) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!)))];

/** The person's inbox goes; other people's notices that named them say "Deleted user" instead. */
export async function eraseNotificationsData(person: ErasedPerson): Promise<void> {
  await Notification.deleteMany({ userId: new mongoose.Types.ObjectId(person.userId) });
  await Inbox.deleteOne({ _id: person.userId });
  await PendingDigest.deleteOne({ _id: person.userId });
  // One document per challenge with "N new ideas" notices: a small collection.
  await NewsWindows.updateMany({ [`users.${person.userId}`]: mongoose.trusted({ $exists: true }) }, { $unset: { [`users.${person.userId}`]: 1 } });
  const pattern = personPattern(person);
  const naming = await Notification.find({ $or: [{ text: pattern }, ...PARAM_NAMES.map((name) => ({ [`params.${name}`]: pattern }))] }).lean();
  for (const notice of naming) {
    const params = Object.fromEntries(
      Object.entries((notice.params ?? {}) as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' ? withoutPerson(value, person) : value]),
    );
    await Notification.updateOne({ _id: notice._id }, { $set: { text: notice.text ? withoutPerson(notice.text, person) : null, params: notice.params ? params : null } });
  }
}
