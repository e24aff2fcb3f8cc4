// Password guessing and user enumeration against POST /api/auth/login: five failures per five
// minutes per name and per client address, then 429 with Retry-After; X-Forwarded-For ignored;
// unknown names answered like wrong passwords, in the same time. Requests come from addresses of
// loopback octet 39 (127.39.x.y); scripted probes, nothing is probed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, send, startAuthApp, type AuthApp, type Reply } from './auth-support.ts';

const MINUTE = 60_000;
let a: AuthApp;
let next = 0;
/** A client address never used before in this file. */
const fresh = () => {
  next += 1;
  return `127.39.${Math.floor(next / 250)}.${(next % 250) + 1}`;
};

const login = (name: string, password: string, from: string, headers: Record<string, string> = {}) =>
  send(`${a.url}/api/auth/login`, { method: 'POST', body: { name, password }, from, headers });

async function failTimes(
  n: number,
  name: (i: number) => string,
  from: (i: number) => string,
  headers: (i: number) => Record<string, string> = () => ({}),
) {
  for (let i = 0; i < n; i++) expect((await login(name(i), 'not-the-password', from(i), headers(i))).status).toBe(401);
}

function retryAfter(res: Reply): number {
  return Number(res.headers['retry-after']);
}

beforeAll(async () => {
  a = await startAuthApp(39);
  const admin = a.t.app.auth.admin!;
  for (let i = 0; i < 8; i++) await admin.putUser(`user${i}`, 'viewer', `password-of-user-${i}`);
  await admin.putUser('target', 'operator', 'target-password-1');
  await admin.putUser('steady', 'operator', 'steady-password-1');
});
afterAll(() => a.close());

describe('failed logins per name', () => {
  it('after 5 wrong passwords within 5 minutes, from any addresses, the name waits — even with the right password — then may try again', async () => {
    await failTimes(5, () => 'target', fresh);
    const locked = await login('target', 'target-password-1', fresh());
    expect(locked.status).toBe(429);
    expect(locked.json()).toEqual({ error: { code: 'rate_limited', message: 'too many failed sign-ins; try again later' } });
    expect(retryAfter(locked)).toBeGreaterThan(280);
    expect(retryAfter(locked)).toBeLessThanOrEqual(300);
    a.clock.advance(5 * MINUTE);
    expect((await login('target', 'target-password-1', fresh())).status).toBe(200);
  });

  it('a right password clears the name’s count; failures before it no longer add up', async () => {
    const from = fresh;
    await failTimes(4, () => 'steady', from);
    expect((await login('steady', 'steady-password-1', from())).status).toBe(200);
    await failTimes(4, () => 'steady', from);
    expect((await login('steady', 'steady-password-1', from())).status).toBe(200);
  });
});

describe('failed logins per address', () => {
  it('after 5 failures from one address, whatever names it tried, that address waits; others do not', async () => {
    const attacker = fresh();
    await failTimes(
      5,
      (i) => `guess-${i}`,
      () => attacker,
    );
    const locked = await login('viewer', PASSWORDS.viewer, attacker);
    expect(locked.status).toBe(429);
    expect(retryAfter(locked)).toBeGreaterThan(0);
    expect((await login('viewer', PASSWORDS.viewer, fresh())).status).toBe(200);
    a.clock.advance(5 * MINUTE);
  });

  it('ignores X-Forwarded-For unless a trusted proxy sent it: a client cannot make up addresses to escape the count', async () => {
    const attacker = fresh();
    await failTimes(
      5,
      (i) => `xff-${i}`,
      () => attacker,
      (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }),
    );
    const locked = await login('viewer', PASSWORDS.viewer, attacker, { 'x-forwarded-for': '198.51.100.7' });
    expect(locked.status).toBe(429);
    a.clock.advance(5 * MINUTE);
  });
});

describe('user enumeration', () => {
  it('answers an unknown name exactly as a wrong password', async () => {
    const unknown = await login('nobody-by-this-name', 'whatever-password', fresh());
    const wrong = await login('user0', 'whatever-password', fresh());
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
    const shape = (r: Reply) =>
      Object.keys(r.headers)
        .filter((h) => h !== 'date' && h !== 'content-length')
        .sort();
    expect(shape(unknown)).toEqual(shape(wrong));
    expect(unknown.setCookie()).toBeNull();
  });

  it('takes as long for an unknown name as for a wrong password (both check a scrypt hash)', async () => {
    const unknownMs: number[] = [];
    const wrongMs: number[] = [];
    // Interleaved, each from its own address and name, so no limit is reached and load hits both alike.
    for (let i = 0; i < 8; i++) {
      let start = performance.now();
      expect((await login(`ghost-${i}`, 'a-wrong-password', fresh())).status).toBe(401);
      unknownMs.push(performance.now() - start);
      start = performance.now();
      expect((await login(`user${i}`, 'a-wrong-password', fresh())).status).toBe(401);
      wrongMs.push(performance.now() - start);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    const ratio = median(unknownMs) / median(wrongMs);
    // Without the dummy hash an unknown name answers in ~1 ms against ~50–100 ms: a ratio near 0.02.
    expect(ratio, `unknown ${median(unknownMs).toFixed(1)} ms, wrong ${median(wrongMs).toFixed(1)} ms`).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.7);
  });

  it('locks an unknown name after 5 failures like a real one: the lockout tells nothing either', async () => {
    a.clock.advance(5 * MINUTE); // past the failures of the timing above
    // Interleaved, so both locks start one login apart and their waits can be compared to the second.
    for (let i = 0; i < 5; i++) {
      await failTimes(1, () => 'ghost-to-lock', fresh);
      await failTimes(1, () => 'user7', fresh);
    }
    const ghost = await login('ghost-to-lock', 'x-password-x', fresh());
    const real = await login('user7', 'password-of-user-7', fresh());
    expect(ghost.status).toBe(429);
    expect(real.status).toBe(429);
    expect(ghost.text).toBe(real.text);
    expect(Math.abs(retryAfter(ghost) - retryAfter(real))).toBeLessThanOrEqual(1);
  });
});
