import { Notification, noticeText, type NotificationKind } from '../../src/features/notifications/notification.model.ts';
import { translate } from '../../src/i18n/i18n.ts';

/** A person's notices of one kind, oldest first, as their English reader sees them (they are stored as keys and values). */
export async function noticesOf(userId: string, kind: NotificationKind): Promise<Array<{ link: string; text: string }>> {
  const notices = await Notification.find({ userId, kind }).sort({ seq: 1 }).lean();
  return notices.map((notice) => ({ link: notice.link, text: translate('en', noticeText(notice)) }));
}

/** How many of them say something matching `pattern`. */
export const countNotices = async (userId: string, kind: NotificationKind, pattern: RegExp) => (await noticesOf(userId, kind)).filter((notice) => pattern.test(notice.text)).length;
