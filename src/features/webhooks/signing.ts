import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Every delivery carries `Cocreate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `"<t>.<raw body>"` with the webhook's secret. The timestamp is signed too, so a receiver that
 * also rejects old timestamps cannot be fed a recorded delivery again later. See docs/integration.md.
 */
export const SIGNATURE_HEADER = 'Cocreate-Signature';
export const EVENT_HEADER = 'Cocreate-Event';
export const DELIVERY_HEADER = 'Cocreate-Delivery';
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * What a receiver does: recompute the HMAC of `"<t>.<raw body>"` and compare in constant time,
 * and refuse a timestamp more than `toleranceSeconds` away from its clock. Any `v1` may match
 * (room for sending two signatures while a secret is rotated).
 */
export function verifySignature(secret: string, header: string | null | undefined, body: string, options: { toleranceSeconds?: number; now?: number } = {}): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value!);
  if (!Number.isInteger(timestamp) || signatures.length === 0) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
