import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { isMessage, type Text } from '../i18n/i18n.ts';

/** A message shown once on the next page: a catalogue key with values, translated when shown. */
export type Notice = { kind: 'success' | 'info' | 'error'; message: Text; action?: { href: string; label: Text } };

/** Long enough to follow a redirect; a copy of the cookie kept for later shows nothing after it. */
export const NOTICE_TTL_MS = 60_000;
/** Browsers keep about 4 kB per cookie, name and attributes included. */
const MAX_VALUE_CHARS = 3_000;
/** What a notice quotes (an idea's title, a name) is cut to this first. */
const MAX_QUOTE_CHARS = 200;

/**
 * Notices as a signed cookie value and back. The value names its own end of life and carries an
 * HMAC of it, so a forged, altered or stale cookie opens to nothing. The key is derived from the
 * session secret for this use alone: nothing signed with that secret for another purpose (a CSRF
 * token, an email's link) passes for notices.
 */
export function noticeSealer(secret: string) {
  // A KeyObject: with a Buffer as key, each HMAC cost five times as much (Node 24).
  const key = createSecretKey(createHmac('sha256', secret).update('cocreate notices').digest());
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();

  const sealed = (notices: Notice[], until: number) => {
    const payload = Buffer.from(JSON.stringify({ until, notices }, keepDates)).toString('base64url');
    return `${payload}.${mac(payload).toString('base64url')}`;
  };

  return {
    /**
     * The cookie's value, within its size: what the notices quote is cut short, then left out
     * ("…"), then the oldest notices go. Undefined when not even the newest fits (never: a
     * notice without its quotes is a few hundred characters).
     */
    seal(notices: Notice[], now = Date.now()): string | undefined {
      const until = now + NOTICE_TTL_MS;
      const whole = sealed(
        notices.map((notice) => quoting(notice, MAX_QUOTE_CHARS)),
        until,
      );
      if (whole.length <= MAX_VALUE_CHARS) return whole;
      const bare = notices.map((notice) => quoting(notice, 0));
      for (let first = 0; first < bare.length; first++) {
        const value = sealed(bare.slice(first), until);
        if (value.length <= MAX_VALUE_CHARS) return value;
      }
      return undefined;
    },

    /** The notices in a cookie's value; none when it was not sealed here, was changed, or is stale. */
    open(value: string, now = Date.now()): Notice[] {
      const dot = value.lastIndexOf('.');
      if (dot < 1 || value.length > 2 * MAX_VALUE_CHARS) return [];
      const payload = value.slice(0, dot);
      const given = Buffer.from(value.slice(dot + 1), 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
      try {
        const json = Buffer.from(payload, 'base64url').toString('utf8');
        // A reviver makes parsing several times slower: only for notices that carry dates.
        const { until, notices } = (json.includes('"$date"') ? JSON.parse(json, readDates) : JSON.parse(json)) as { until: unknown; notices: unknown };
        return typeof until === 'number' && until >= now && Array.isArray(notices) ? (notices as Notice[]) : [];
      } catch {
        return [];
      }
    },
  };
}

export type NoticeSealer = ReturnType<typeof noticeSealer>;

/** A message's values may be dates (written in the reader's time zone when shown): they stay dates. */
function keepDates(this: Record<string, unknown>, name: string, value: unknown): unknown {
  const raw = this[name];
  return raw instanceof Date ? { $date: raw.toISOString() } : value;
}
const readDates = (_name: string, value: unknown): unknown =>
  typeof value === 'object' && value !== null && typeof (value as { $date?: unknown }).$date === 'string' ? new Date((value as { $date: string }).$date) : value;

function quoting(notice: Notice, limit: number): Notice {
  return { ...notice, message: cutText(notice.message, limit), ...(notice.action ? { action: { ...notice.action, label: cutText(notice.action.label, limit) } } : {}) };
}

/** A message's quoted values at most `limit` characters long (0: "…" for each); a sentence as it is, within bounds. */
function cutText(text: Text, limit: number): Text {
  if (!isMessage(text)) return cut(text, MAX_QUOTE_CHARS);
  if (!text.params) return text;
  const params = Object.fromEntries(Object.entries(text.params).map(([name, value]) => [name, typeof value === 'string' ? cut(value, limit) : isMessage(value) ? cutText(value, limit) : value]));
  return { key: text.key, params: params as NonNullable<typeof text.params> };
}

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Not between the two halves of a character beyond the Basic Multilingual Plane (an emoji).
  const end = limit > 0 && /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
  return `${text.slice(0, end)}…`;
}
