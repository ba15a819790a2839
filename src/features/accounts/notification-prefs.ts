import { User } from './user.model.ts';

/**
 * A person's notification choices are kept on their account (accounts owns the User); the
 * notifications feature decides what they mean and sets them through these two writes.
 */
export async function saveNotificationPrefs(userId: string, prefs: Record<string, string>): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { notificationPrefs: prefs } });
}

export async function saveNotificationPref(userId: string, kind: string, delivery: string): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { [`notificationPrefs.${kind}`]: delivery } });
}
