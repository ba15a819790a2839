import { promises as dns } from 'node:dns';
import net from 'node:net';

/**
 * Webhook targets are typed in by admins, but the server makes the request: a URL naming (or
 * resolving to) an internal address would let the platform be used to reach the cloud metadata
 * service, a database port or an admin interface on the private network. So a target is checked
 * at every delivery (DNS answers change), against every address the name resolves to, and the
 * request is then made to the very address that was checked, never to a second lookup's answer.
 */

export class TargetRefused extends Error {}

export type ResolvedTarget = { url: URL; address: string; family: 4 | 6 };
export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** [prefix bytes, prefix length in bits, why] for IPv4. */
const BLOCKED_V4: Array<[number[], number, string]> = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared (CGNAT)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 168, 0, 0], 16, 'private'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];
const BLOCKED_V6: Array<[number[], number, string]> = [
  [[0xfc], 7, 'private (unique local)'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xff], 8, 'multicast'],
];

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address, including forms with an embedded dotted IPv4 tail. */
function v6Bytes(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = v4Bytes(dotted[1]!);
    text = text.slice(0, -dotted[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((group) => parseInt(group, 16));
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

/** Why an address may not be a webhook target, or null for a public one. */
export function blockedReason(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED_V4.find(([prefix, bits]) => inPrefix(v4Bytes(address), prefix, bits))?.[2] ?? null;
  if (family !== 6) return 'not an IP address';
  const bytes = v6Bytes(address);
  if (bytes.every((byte) => byte === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible (::a.b.c.d) forms reach the IPv4 address.
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && ((bytes[10] === 0xff && bytes[11] === 0xff) || (bytes[10] === 0 && bytes[11] === 0));
  if (mapped) return blockedReason(bytes.slice(12).join('.'));
  return BLOCKED_V6.find(([prefix, bits]) => inPrefix(bytes, prefix, bits))?.[2] ?? null;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** Whether the admin allow-list (`WEBHOOK_ALLOWED_HOSTS`: host or host:port) names this target. */
export function isAllowListed(url: URL, allowed: string[]): boolean {
  const host = url.hostname.toLowerCase();
  return allowed.some((entry) => entry === host || entry === hostOf(url) || entry === `${host}:${portOf(url)}`);
}

/** Parses and checks a webhook URL's shape; a message for the admin, or null when it is fine. */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL such as https://tracker.example.com/hooks/cocreate.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http:// and https:// URLs can receive webhooks.';
  if (url.username || url.password) return 'Leave credentials out of the URL: check the signature instead.';
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
      if (reason) throw new TargetRefused(`${host} resolves to ${address}, a ${reason} address: webhooks may not reach internal addresses unless WEBHOOK_ALLOWED_HOSTS names the host.`);
    }
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
