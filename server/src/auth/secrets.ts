import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: session secrets and kiosk tokens. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A kiosk display's token; the prefix lets secret scanners and people recognise one. */
export function kioskToken(): string {
  return `hqk_${randomSecret()}`;
}

/** What the database keeps of a secret: its SHA-256, hex. A copy of the database opens nothing. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function mac(key: string, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

/** `value.signature`: a cookie the server can tell it issued before looking anything up. */
export function sign(value: string, key: string): string {
  return `${value}.${mac(key, value).toString('base64url')}`;
}

/** The value of a signed cookie, or null when the signature is not this server's. */
export function unsign(signed: string, key: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1), 'base64url');
  const expected = mac(key, value);
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

/** Whether `given` equals one of `secrets`, taking the same time whichever matches (or none). */
export function matchesAny(given: string, secrets: readonly string[]): number {
  const hashed = createHash('sha256').update(given, 'utf8').digest();
  let found = -1;
  secrets.forEach((secret, i) => {
    const equal = timingSafeEqual(hashed, createHash('sha256').update(secret, 'utf8').digest());
    if (equal && found < 0) found = i;
  });
  return found;
}
