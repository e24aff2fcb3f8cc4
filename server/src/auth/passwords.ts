import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters for new hashes: N = 2^15, r = 8, p = 1 (32 MiB of memory and ~50–100 ms of one
 * core per hash on a 2020s server), a 16-byte random salt, a 32-byte key. That is OWASP's minimum
 * for scrypt doubled in memory: a stolen database costs an attacker as much per guess. The
 * parameters are stored in each hash, so raising them later leaves existing hashes readable.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Hashes computed at once at most: each takes a thread of libuv's pool (4) and 32 MiB. */
const CONCURRENT = 2;
/** Hashes waiting beyond that before new ones are refused (`HashQueueFull`). */
const QUEUED = 32;

interface Params {
  N: number;
  r: number;
  p: number;
}

export class HashQueueFull extends Error {
  constructor() {
    super('too many sign-ins at once');
    this.name = 'HashQueueFull';
  }
}

let running = 0;
const waiting: (() => void)[] = [];

/** One scrypt, behind a small queue: a burst of logins never takes every thread or gigabytes of memory. */
async function derive(password: string, salt: Buffer, params: Params, keyLength: number): Promise<Buffer> {
  if (running >= CONCURRENT) {
    if (waiting.length >= QUEUED) throw new HashQueueFull();
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running += 1;
  try {
    const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p + 1024 * 1024 };
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

const FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** `scrypt$N=32768,r=8,p=1$<salt base64>$<key base64>`, the form stored in `users.password_hash`. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, { N, r, p }, keyLength);
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whether `password` is the one `stored` was made from. Compared in constant time; a stored value
 * this build cannot read is never a match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Parameters far beyond ours would be a denial of service planted in the database.
  if (N > 2 ** 20 || r > 32 || p > 16) return false;
  const expected = Buffer.from(match[5]!, 'base64');
  const key = await derive(password, Buffer.from(match[4]!, 'base64'), { N, r, p }, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password with the current parameters: a login for a name that does not exist
 * is checked against it, so that it takes as long as a wrong password and says nothing of which
 * names exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}
