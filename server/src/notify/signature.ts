import { createHmac, timingSafeEqual } from 'node:crypto';

/** The webhook signature header's name. */
export const SIGNATURE_HEADER = 'X-Hqwatch-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the time makes a captured delivery useless
 * to replay later (a receiver refuses old ones), the HMAC proves it came from who holds the secret.
 */
export function signBody(body: string, secret: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * What a receiver does (and `hqwatch notify receive` does): recompute the HMAC over the raw body,
 * compare in constant time, and refuse a signature older than `toleranceS` seconds.
 */
export function verifySignature(body: string, header: string | undefined, secret: string, nowMs: number, toleranceS = 300): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowMs / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
