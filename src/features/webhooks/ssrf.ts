import { promises as dns } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { message, translate, type Message } from '../../i18n/i18n.ts';

/**
 * Webhook targets are typed in by admins, but the server makes the request: a URL naming (or
 * resolving to) an internal address would let the platform be used to reach the cloud metadata
 * service, a database port or an admin interface on the private network. So a target is checked
 * at every delivery (DNS answers change), against every address the name resolves to, and the
 * request is then made to the very address that was checked, never to a second lookup's answer.
 */

/** A refused target: `text` tells the admin why in their language; the message is its English, for the delivery log. */
export class TargetRefused extends Error {
  readonly text: Message;

  constructor(text: Message) {
    super(translate('en', text));
    this.text = text;
  }
}

export type ResolvedTarget = { url: URL; address: string; family: 4 | 6 };
export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

// Address ranges come from ipaddr.js (its special-purpose registries of IANA), not from our own
// table: only what it calls plain `unicast` may be a target. The ranges the admin's message names
// (admin.webhooks.target.range in the catalogue); any other is named as ipaddr.js calls it.
const NAMED_RANGES = new Set([
  'private',
  'uniqueLocal',
  'loopback',
  'linkLocal',
  'carrierGradeNat',
  'unspecified',
  'broadcast',
  'multicast',
  'reserved',
  // IPv6 transition forms carry an IPv4 address (often 127.0.0.1 or 169.254.x) that a translator
  // or relay on the path would reach: none is a plausible webhook target, so all are refused.
  'rfc6052',
  'rfc6145',
  '6to4',
  'teredo',
]);
const RANGE = 'admin.webhooks.target.range';

/** Why an address may not be a webhook target (its kind, for the admin's message), or null for a public one. */
export function blockedReason(address: string): Message | null {
  const text = address.split('%')[0]!;
  if (!net.isIP(text)) return message(`${RANGE}.notIp`);
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it reaches.
  const range = ipaddr.process(text).range();
  if (range === 'unicast') return null;
  return NAMED_RANGES.has(range) ? message(`${RANGE}.${range}`) : message(`${RANGE}.special`, { range });
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** Whether the admin allow-list (`WEBHOOK_ALLOWED_HOSTS`: host or host:port) names this target. */
export function isAllowListed(url: URL, allowed: string[]): boolean {
  const host = url.hostname.toLowerCase();
  return allowed.some((entry) => entry === host || entry === hostOf(url) || entry === `${host}:${portOf(url)}`);
}

/** Parses and checks a webhook URL's shape; a message for the admin, or null when it is fine. */
export function urlProblem(value: string): Message | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return message('admin.webhooks.target.notUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return message('admin.webhooks.target.scheme');
  if (url.username || url.password) return message('admin.webhooks.target.credentials');
  return null;
}

/**
 * Resolves the target's host (all its addresses) and refuses it when any of them is loopback,
 * private, link-local or otherwise internal, unless the allow-list names the host. Returns the
 * address to connect to.
 */
export async function resolveTarget(value: string, allowed: string[], lookup: Lookup = systemLookup): Promise<ResolvedTarget> {
  const problem = urlProblem(value);
  if (problem) throw new TargetRefused(problem);
  const url = new URL(value);
  const host = hostOf(url);
  const literal = net.isIP(host);
  let addresses: Array<{ address: string; family: number }>;
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      throw new Error(`Could not resolve ${host}: ${(error as { code?: string }).code ?? (error as Error).message}`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new Error(`Could not resolve ${host}`);
  if (!isAllowListed(url, allowed)) {
    for (const { address } of addresses) {
      const reason = blockedReason(address);
      if (reason) throw new TargetRefused(message('admin.webhooks.target.internal', { host, address, range: reason }));
    }
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
