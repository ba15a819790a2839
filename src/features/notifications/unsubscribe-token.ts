import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification.model.ts';

/**
 * The signed token in every email's unsubscribe link: it names the person and the kind of
 * message, so the link works without signing in and cannot be forged for someone else.
 */
export function unsubscribeToken(secret: string, userId: string, kind: NotificationKind | 'all'): string {
  const payload = `${userId}.${kind}`;
  const signature = createHmac('sha256', secret).update(`unsubscribe:${payload}`).digest('base64url');
  return `${payload}.${signature}`;
}

export function readUnsubscribeToken(secret: string, token: string): { userId: string; kind: NotificationKind | 'all' } | null {
  const [userId = '', kind = '', signature = ''] = token.split('.');
  if (!/^[0-9a-f]{24}$/.test(userId) || !(kind === 'all' || (NOTIFICATION_KINDS as readonly string[]).includes(kind))) return null;
  const expected = Buffer.from(unsubscribeToken(secret, userId, kind as NotificationKind).split('.')[2]!);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { userId, kind: kind as NotificationKind | 'all' } : null;
}
