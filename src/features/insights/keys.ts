/**
 * Counter keys of the insights read model: `${metric}|*` plus one key per dimension value of the
 * person concerned, per tag, per phase, and segment × tag, so a segment and a tag filter combine.
 * Pure: the recorder, the rebuild and the reader build and read keys only through this module.
 */

export const DIMENSIONS = ['segment', 'region', 'tier', 'kind'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Dimensions = Record<Dimension, string>;

/** The funnel's steps, in order. */
export const FUNNEL = ['visitors', 'participants', 'drafts', 'submitted', 'approved', 'shortlisted', 'winners', 'promoted', 'shipped'] as const;
export const METRICS = [...FUNNEL, 'declined', 'votes', 'comments', 'pairwiseWins', 'decisions', 'merged', 'reportsHandled', 'authors'] as const;
export type Metric = (typeof METRICS)[number];

/** The idea statuses the funnel counts once per idea, and the metric each one feeds. */
export const STATUS_METRICS: Readonly<Record<string, Metric>> = {
  submitted: 'submitted',
  approved: 'approved',
  shortlisted: 'shortlisted',
  winner: 'winners',
  promoted: 'promoted',
  shipped: 'shipped',
  declined: 'declined',
};

export const NOT_STATED = 'not stated';

/**
 * Keys are field names: `.` would split the path and `$` is reserved, and `|` and `=` separate the
 * parts of a key, so those (and `%`, the escape itself) are percent-encoded.
 */
export const escapeValue = (value: string): string => (value.trim() || NOT_STATED).replace(/[%.$|=]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export const unescapeValue = (value: string): string => value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export const ALL = '*';
export const part = (name: string, value: string) => `${name}=${escapeValue(value)}`;
export const keyOf = (metric: Metric, ...parts: string[]) => `${metric}|${parts.length ? parts.join('|') : ALL}`;

export type Subject = { person?: Dimensions | null; tags?: readonly string[]; phase?: string | null; extra?: Readonly<Record<string, string>> };

/** Every key one event increments. */
export function counterKeys(metric: Metric, subject: Subject = {}): string[] {
  const keys = [keyOf(metric)];
  const person = subject.person;
  if (person) for (const dimension of DIMENSIONS) keys.push(keyOf(metric, part(dimension, person[dimension])));
  const tags = [...new Set((subject.tags ?? []).map((tag) => tag.trim()).filter(Boolean))];
  for (const tag of tags) {
    keys.push(keyOf(metric, part('tag', tag)));
    if (person) keys.push(keyOf(metric, part('segment', person.segment), part('tag', tag)));
  }
  if (subject.phase) keys.push(keyOf(metric, part('phase', subject.phase)));
  for (const [name, value] of Object.entries(subject.extra ?? {})) keys.push(keyOf(metric, part(name, value)));
  return keys;
}

/** A key's metric and its `name=value` parts (unescaped); `*` has none. */
export function parseKey(key: string): { metric: string; parts: Record<string, string> } {
  const [metric = '', ...rest] = key.split('|');
  const parts: Record<string, string> = {};
  for (const piece of rest) {
    if (piece === ALL) continue;
    const at = piece.indexOf('=');
    if (at > 0) parts[piece.slice(0, at)] = unescapeValue(piece.slice(at + 1));
  }
  return { metric, parts };
}

/** The UTC day a counter lands on. */
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
export const ALL_CHALLENGES = 'all';

/**
 * The metrics counted most often (by votes, comments, screening decisions and submissions) have a
 * day document of their own beside the day's base document, which holds every other metric (and
 * every metric of a day counted before the split). The embedded engine decodes and rewrites the
 * whole document on every update, and a busy day's base document holds hundreds of keys (79 kB
 * across challenges at 10,000 ideas): a vote rewrote all of them twice. Readers sum every part.
 */
const PART_OF: Partial<Record<Metric, string>> = {
  votes: 'votes',
  comments: 'comments',
  decisions: 'screening',
  approved: 'screening',
  declined: 'screening',
  drafts: 'submissions',
  submitted: 'submissions',
  authors: 'submissions',
};
const PARTS = [...new Set(Object.values(PART_OF))];

/** The day document that holds `metric`'s counters of `scope` on `day`. */
export const dayDocId = (scope: string, day: string, metric: Metric) => {
  const part = PART_OF[metric];
  return part ? `${scope}:${day}:${part}` : `${scope}:${day}`;
};

/**
 * A challenge's moderation SLA samples of one UTC day (by the sample's time): a decision adds to
 * a small document, not to one holding every sample of the challenge. Samples stored before they
 * were kept by day are in the document keyed by the challenge id alone, which readers read too.
 */
export const slaDocId = (challengeId: string, day: string) => `${challengeId}:${day}`;

/**
 * Outbox entries per part of a day's SLA samples. The embedded engine decodes and rewrites the
 * whole document on each update: one document holding a busy day's thousands of samples took
 * about 100 ms to write, holding the engine's one writer all that time. Samples taken from the
 * outbox go to the part of their entry's number (a replay finds the same part), so a part holds
 * at most this many; the day's document lists its parts.
 */
export const SLA_PART_SEQS = 200;
export const slaPartId = (dayDocId: string, part: number) => `${dayDocId}:p${part}`;

/** Every day document of `scope` on `day`: a reader sums them all. */
export const dayDocIds = (scope: string, day: string): string[] => [`${scope}:${day}`, ...PARTS.map((part) => `${scope}:${day}:${part}`)];

/** `$inc` for the day document: every key under `c`, by `by`. */
export const incrementOf = (keys: readonly string[], by = 1): Record<string, number> => Object.fromEntries(keys.map((key) => [`c.${key}`, by]));

/** The UTC days from `from` to `to`, both included (empty when `to` is before `from`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** Authors of a tag (people, for the privacy rule of the tag breakdown): counted once per person and tag. */
export const tagAuthorKeys = (person: Dimensions, tag: string): string[] => [keyOf('authors', part('tag', tag)), keyOf('authors', part('segment', person.segment), part('tag', tag))];
