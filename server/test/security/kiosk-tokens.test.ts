// Kiosk display tokens: a read-only session cookie traded once for the token at /wall?token=…,
// never more than a viewer, last use shown to admins, only the token's hash stored, and revocation
// ending the display's sockets (cookie or bearer) within a second. Loopback octet 40 (scripted
// probes: nothing is probed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskCreated, KioskView, WhoAmI } from '@hqwatch/shared';
import { disconnectedWithin, liveSocket, openSocket, send, startAuthApp, syncOrNothing, type AuthApp } from './auth-support.ts';

let a: AuthApp;
let admin: string;

const addKiosk = async (name: string): Promise<KioskCreated> => {
  const res = await send(`${a.url}/api/admin/kiosks`, { method: 'POST', headers: { cookie: admin }, body: { name } });
  expect(res.status).toBe(201);
  return res.json<KioskCreated>();
};
const kiosks = async () => (await send(`${a.url}/api/admin/kiosks`, { headers: { cookie: admin } })).json<KioskView[]>();

beforeAll(async () => {
  a = await startAuthApp(40);
  admin = await a.login('admin');
});
afterAll(() => a.close());

describe('a wall display with a kiosk token', () => {
  it('trades the token for a session cookie once and is sent on to /wall without it, its other settings kept', async () => {
    const created = await addKiosk('Lobby wall');
    expect(created.token).toMatch(/^hqk_[A-Za-z0-9_-]{43}$/);
    expect(created.path).toBe(`/wall?token=${created.token}`);
    expect(created.kiosk).toMatchObject({ name: 'Lobby wall', lastSeenAt: null });

    const landing = await send(`${a.url}/wall?rotate=30s&token=${created.token}&views=overview,sites`);
    expect(landing.status).toBe(303);
    expect(landing.headers.location).toBe('/wall?rotate=30s&views=overview%2Csites');
    expect(landing.headers['cache-control']).toBe('no-store');
    const cookie = landing.cookie()!;
    expect(landing.setCookie()!.toLowerCase()).toMatch(/httponly/);
    const me = (await send(`${a.url}/api/auth/me`, { headers: { cookie } })).json<WhoAmI>();
    expect(me.principal).toEqual({ kind: 'kiosk', name: 'Lobby wall', role: 'viewer' });
    // The display's cookie is renewed each time it asks who it is: a wall never ages out.
    expect((await send(`${a.url}/api/auth/me`, { headers: { cookie } })).setCookie()).toMatch(/^hqwatch_session=/);
    expect((await kiosks()).find((k) => k.name === 'Lobby wall')!.lastSeenAt).not.toBeNull();
  });

  it('reads, and nothing more: no annotation, no admin page', async () => {
    const created = await addKiosk('Read only wall');
    const cookie = (await send(`${a.url}${created.path}`)).cookie()!;
    expect((await send(`${a.url}/api/state`, { headers: { cookie } })).status).toBe(200);
    expect((await send(`${a.url}/api/state`, { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(200);
    for (const headers of [{ cookie }, { authorization: `Bearer ${created.token}` }] as Record<string, string>[]) {
      expect((await send(`${a.url}/api/incidents/x/annotations`, { method: 'POST', headers, body: { text: 'hi' } })).status).toBe(403);
      expect((await send(`${a.url}/api/admin/users`, { headers })).status).toBe(403);
    }
  });

  it('is refused with a wrong token: no cookie, and the wall is told', async () => {
    await addKiosk('Real one');
    const landing = await send(`${a.url}/wall?token=hqk_${'A'.repeat(43)}`);
    expect(landing.status).toBe(303);
    expect(landing.headers.location).toBe('/wall?kiosk=refused');
    expect(landing.setCookie()).toBeNull();
    expect(await openSocket(a.url, { authorization: `Bearer hqk_${'A'.repeat(43)}` })).toEqual({ refused: 'unauthorized' });
  });

  it('keeps only the hash of a token: the database file holds no token', async () => {
    const created = await addKiosk('Hashed');
    await a.store.flush();
    const files = ['hqwatch.db', 'hqwatch.db-wal'].map((f) => path.join(a.place.dataDir, f));
    const bytes = files.map((f) => {
      try {
        return readFileSync(f).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(bytes.join('').length).toBeGreaterThan(0);
    expect(bytes.some((b) => b.includes(created.token.slice(4, 24)))).toBe(false);
    expect((await kiosks()).map((k) => Object.keys(k).sort())).toContainEqual(['createdAt', 'lastSeenAt', 'name']);
  });
});

describe('revoking a display', () => {
  it('disconnects its sockets within a second, by cookie or by token, and opens nothing after', async () => {
    const created = await addKiosk('To revoke');
    const cookie = (await send(`${a.url}${created.path}`)).cookie()!;
    const byCookie = await liveSocket(a.url, { cookie });
    const byToken = await liveSocket(a.url, { authorization: `Bearer ${created.token}` });
    const other = await addKiosk('Stays');
    const bystander = await liveSocket(a.url, { cookie: (await send(`${a.url}${other.path}`)).cookie()! });
    try {
      expect(await syncOrNothing(byCookie)).not.toBeNull();
      const goneCookie = disconnectedWithin(byCookie, 1_000);
      const goneToken = disconnectedWithin(byToken, 1_000);
      const res = await send(`${a.url}/api/admin/kiosks/${encodeURIComponent('To revoke')}`, {
        method: 'DELETE',
        headers: { cookie: admin },
      });
      expect(res.status).toBe(204);
      expect(await goneCookie.done).toBeLessThan(1_000);
      expect(await goneToken.done).toBeLessThan(1_000);
      expect(bystander.connected).toBe(true);
    } finally {
      for (const s of [byCookie, byToken, bystander]) s.close();
    }
    expect((await send(`${a.url}/api/state`, { headers: { cookie } })).status).toBe(401);
    expect((await send(`${a.url}/api/state`, { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(401);
    expect((await send(`${a.url}${created.path}`)).headers.location).toBe('/wall?kiosk=refused');
    expect(await openSocket(a.url, { cookie })).toEqual({ refused: 'unauthorized' });
    expect((await kiosks()).map((k) => k.name)).not.toContain('To revoke');
  });

  it('answers 404 for a display that does not exist, and refuses a name taken', async () => {
    expect((await send(`${a.url}/api/admin/kiosks/nope`, { method: 'DELETE', headers: { cookie: admin } })).status).toBe(404);
    await addKiosk('Twice');
    const again = await send(`${a.url}/api/admin/kiosks`, { method: 'POST', headers: { cookie: admin }, body: { name: 'Twice' } });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });
  });
});

describe('guessing kiosk tokens at /wall?token=…', () => {
  it('locks an address out after 5 wrong tokens (even the right one then gets 429 + Retry-After), and logs one warning for them all', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const b = await startAuthApp(40, { deps: { log } });
    try {
      const real = await b.t.app.auth.admin!.addKiosk('Guessed wall');
      const guess = (i: number, from: string) => send(`${b.url}/wall?token=hqk_${String(i).padStart(43, 'G')}`, { from });
      // Three addresses, each guessing until it is locked out, then guessing on.
      for (const from of ['127.40.9.1', '127.40.9.2', '127.40.9.3']) {
        for (let i = 0; i < 5; i++) {
          const refused = await guess(i, from);
          expect(refused.status).toBe(303);
          expect(refused.headers.location).toBe('/wall?kiosk=refused');
        }
        const locked = await send(`${b.url}${real.path}`, { from });
        expect(locked.status).toBe(429);
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(200);
        expect(locked.setCookie()).toBeNull();
        expect(locked.json()).toMatchObject({ error: { code: 'rate_limited' } });
        // The lockout is the bearer tokens' own: the display's token is refused as a header too.
        expect((await send(`${b.url}/api/state`, { from, headers: { authorization: `Bearer ${real.token}` } })).status).toBe(429);
        for (let i = 5; i < 30; i++) expect((await guess(i, from)).status).toBe(429);
      }
      const warnings = lines.filter((line) => line.includes('kiosk token refused'));
      expect(warnings).toHaveLength(1);
      expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40)).toHaveLength(1);
      // Another address is not locked out.
      const other = await send(`${b.url}${real.path}`, { from: '127.40.9.4' });
      expect(other.status).toBe(303);
      expect(other.cookie()).toMatch(/^hqwatch_session=/);
    } finally {
      await b.close();
    }
  });

  it('counts wrong wall tokens and wrong bearer tokens from one address together', async () => {
    const from = '127.40.9.5';
    for (let i = 0; i < 3; i++)
      expect(
        (await send(`${a.url}/api/state`, { from, headers: { authorization: `Bearer hqk_${String(i).padStart(43, 'B')}` } })).status,
      ).toBe(401);
    for (let i = 0; i < 2; i++) expect((await send(`${a.url}/wall?token=hqk_${String(i).padStart(43, 'W')}`, { from })).status).toBe(303);
    const created = await addKiosk('Mixed guesses');
    expect((await send(`${a.url}${created.path}`, { from })).status).toBe(429);
    expect((await send(`${a.url}${created.path}`, { from: '127.40.9.6' })).status).toBe(303);
  });
});
