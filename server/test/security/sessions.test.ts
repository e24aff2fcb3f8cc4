// Sessions: the cookie's attributes, forgery, fixation, logout, idle and absolute expiry, and
// revocation (password, role, removal) reaching open sockets within a second — on this instance,
// and from another instance or the CLI sharing a PostgreSQL store. Loopback octet 38 (scripted
// probes: nothing is probed).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhoAmI } from '@hqwatch/shared';
import { openAccountStore } from '../../src/store/accounts-open.ts';
import { testConfig } from '../support/config.ts';
import { STORE_BACKENDS } from '../support/store-backends.ts';
import { startTestApp } from '../support/app.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { PASSWORDS, disconnectedWithin, liveSocket, openSocket, send, startAuthApp, syncOrNothing, type AuthApp } from './auth-support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MINUTE = 60_000;

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function app(opts: Parameters<typeof startAuthApp>[1] = {}): Promise<AuthApp> {
  const a = await startAuthApp(38, opts);
  cleanups.push(() => a.close());
  return a;
}

const me = async (a: AuthApp, cookie?: string) =>
  (await send(`${a.url}/api/auth/me`, { headers: cookie ? { cookie } : {} })).json<WhoAmI>().principal;
const state = (a: AuthApp, cookie: string) => send(`${a.url}/api/state`, { headers: { cookie } });

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole site, kept no longer than the session may live, and not Secure over plain HTTP', async () => {
    const a = await app({ config: { auth: { session: { idle: '30m', absolute: '8h' } } } });
    const res = await send(`${a.url}/api/auth/login`, { method: 'POST', body: { name: 'operator', password: PASSWORDS.operator } });
    expect(res.status).toBe(200);
    const attributes = res
      .setCookie()!
      .split(';')
      .map((p) => p.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path=/', 'samesite=lax', 'httponly']));
    expect(attributes).not.toContain('secure');
    const expires = Date.parse(attributes.find((p) => p.startsWith('expires='))!.slice('expires='.length));
    expect(Math.abs(expires - (Date.now() + 8 * 3600_000))).toBeLessThan(5_000);
    expect(res.json<WhoAmI>().principal).toEqual({ kind: 'user', name: 'operator', role: 'operator' });
  });

  it('is Secure when a trusted proxy says the browser came over HTTPS, and only then', async () => {
    const a = await app({ config: { http: { trustProxy: ['127.38.0.100'] } } });
    const login = (from: string) =>
      send(`${a.url}/api/auth/login`, {
        method: 'POST',
        from,
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.1' },
        body: { name: 'operator', password: PASSWORDS.operator },
      });
    expect((await login('127.38.0.100')).setCookie()!.toLowerCase()).toContain('; secure');
    // Anyone else writing the header is not believed.
    expect((await login('127.38.0.101')).setCookie()!.toLowerCase()).not.toContain('secure');
  });

  it('is Secure when the server speaks HTTPS itself (http.tls)', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'hqwatch.test' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const a = await app({ deps: { tls: { cert: pems.cert, key: pems.private } } });
    const base = a.url.replace('http:', 'https:');
    const res = await send(`${base}/api/auth/login`, { method: 'POST', ca: pems.cert, body: { name: 'admin', password: PASSWORDS.admin } });
    expect(res.status).toBe(200);
    expect(res.setCookie()!.toLowerCase()).toContain('; secure');
    const me = await send(`${base}/api/auth/me`, { ca: pems.cert, headers: { cookie: res.cookie()! } });
    expect(me.json<WhoAmI>().principal?.name).toBe('admin');
  });

  it('holds a secret and its signature; a forged, altered or unsigned value opens nothing', async () => {
    const a = await app();
    const cookie = await a.login('admin');
    expect((await me(a, cookie))?.name).toBe('admin');
    const value = cookie.slice('hqwatch_session='.length);
    const [secret, signature] = value.split('.');
    for (const forged of [
      `${secret}.${signature!.slice(0, -2)}AA`,
      `${secret!.slice(0, -2)}AA.${signature}`,
      secret!,
      'admin',
      `${secret}.`,
      '.',
      '',
    ])
      expect(await me(a, `hqwatch_session=${forged}`), forged).toBeNull();
    expect((await state(a, 'hqwatch_session=admin')).status).toBe(401);
  });

  it('is never the one the browser brought: each login makes a new session and ends the old one (no fixation)', async () => {
    const a = await app();
    // An attacker's own valid session planted in a victim's browser, then the victim signs in.
    const planted = await a.login('viewer');
    const res = await send(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { cookie: planted },
      body: { name: 'admin', password: PASSWORDS.admin },
    });
    const fresh = res.cookie()!;
    expect(fresh).not.toBe(planted);
    expect((await me(a, fresh))?.name).toBe('admin');
    // The planted one was ended, so the attacker does not ride the victim's login.
    expect(await me(a, planted)).toBeNull();
    // A value made up by the attacker is not taken either.
    const madeUp = 'hqwatch_session=attacker-chose-this.c2lnbmF0dXJl';
    const again = await send(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { cookie: madeUp },
      body: { name: 'admin', password: PASSWORDS.admin },
    });
    expect(again.cookie()).not.toBe(madeUp);
    expect(await me(a, madeUp)).toBeNull();
  });

  it('stops opening anything once logged out, even replayed', async () => {
    const a = await app();
    const cookie = await a.login('operator');
    const out = await send(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.setCookie()!.toLowerCase()).toMatch(/hqwatch_session=;.*(max-age=0|expires=thu, 01 jan 1970)/);
    expect((await state(a, cookie)).status).toBe(401);
    expect(await me(a, cookie)).toBeNull();
  });

  it('is refused on a request that changes something when it comes from another site', async () => {
    const a = await app();
    const cookie = await a.login('admin');
    const add = (headers: Record<string, string>) =>
      send(`${a.url}/api/admin/kiosks`, {
        method: 'POST',
        headers: { cookie, ...headers },
        body: { name: `wall ${Math.random()}`.slice(0, 20) },
      });
    expect((await add({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await add({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await add({ origin: a.url })).status).toBe(201);
    expect((await add({})).status).toBe(201); // a script: no browser, no Origin
  });
});

describe('secrets of accounts', () => {
  it('never reach the log: passwords, session secrets and kiosk tokens, at debug level', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const a = await app({ deps: { log } });
    const admin = await a.login('admin');
    await send(`${a.url}/api/auth/login`, { method: 'POST', body: { name: 'operator', password: 'a-wrong-password-canary' } });
    const kiosk = await a.t.app.auth.admin!.addKiosk('Canary wall');
    const landing = await send(`${a.url}${kiosk.path}`);
    await send(`${a.url}/api/admin/users/viewer`, {
      method: 'PATCH',
      headers: { cookie: admin },
      body: { password: 'new-password-canary' },
    });
    await send(`${a.url}/api/state`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    const text = lines.join('');
    expect(text).toMatch(/signed in/);
    const secrets = [
      PASSWORDS.admin,
      'a-wrong-password-canary',
      'new-password-canary',
      kiosk.token,
      admin.split('=')[1]!.split('.')[0]!,
      landing.cookie()!.split('=')[1]!.split('.')[0]!,
    ];
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
  });
});

describe('session lifetimes', () => {
  it('ends a session unused for the idle time; use keeps it alive until the absolute limit', async () => {
    const a = await app({ config: { auth: { session: { idle: '30m', absolute: '2h' } } } });
    const idle = await a.login('viewer');
    const used = await a.login('operator');
    a.clock.advance(20 * MINUTE);
    expect((await state(a, used)).status).toBe(200);
    a.clock.advance(20 * MINUTE);
    // 40 min since login: the unused one is gone, the one used 20 min ago goes on.
    expect((await state(a, idle)).status).toBe(401);
    expect((await state(a, used)).status).toBe(200);
    for (let t = 40; t < 120 - 20; t += 20) {
      a.clock.advance(20 * MINUTE);
      expect((await state(a, used)).status, `${t + 20} min`).toBe(200);
    }
    a.clock.advance(21 * MINUTE);
    expect((await state(a, used)).status).toBe(401);
  });

  it('disconnects an open socket whose session passed its absolute limit', async () => {
    const a = await app({ config: { auth: { session: { idle: '30m', absolute: '1h' } } } });
    const socket = await liveSocket(a.url, { cookie: await a.login('viewer') });
    cleanups.push(async () => socket.close());
    a.clock.advance(61 * MINUTE);
    const gone = disconnectedWithin(socket, 2_000);
    await a.t.app.auth.revalidate();
    await gone.done;
  });
});

describe('revocation', () => {
  const changes = [
    ['a password reset', { method: 'PATCH', body: { password: 'a-brand-new-password' } }],
    ['a role change', { method: 'PATCH', body: { role: 'viewer' } }],
    ['removal', { method: 'DELETE' }],
  ] as const;

  it.each(changes)('after %s, the user’s requests are refused and their sockets are disconnected within a second', async (what, change) => {
    const a = await app();
    const admin = await a.login('admin');
    const cookie = await a.login('operator');
    const other = await a.login('viewer');
    const socket = await liveSocket(a.url, { cookie });
    const bystander = await liveSocket(a.url, { cookie: other });
    cleanups.push(async () => void [socket, bystander].forEach((s) => s.close()));
    expect(await syncOrNothing(socket)).not.toBeNull();

    const gone = disconnectedWithin(socket, 1_000);
    const res = await send(`${a.url}/api/admin/users/operator`, { ...change, headers: { cookie: admin } });
    expect(res.status).toBeLessThan(300);
    const ms = await gone.done;
    console.log(`revocation (${what}) to socket disconnected, same instance: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1_000);
    expect((await state(a, cookie)).status).toBe(401);
    // Sign-in again with what is now true works; other people were not touched.
    expect(bystander.connected).toBe(true);
    expect((await state(a, other)).status).toBe(200);
  });

  it('a socket opened with the session cookie of a logout is disconnected within a second of the logout', async () => {
    const a = await app();
    const cookie = await a.login('viewer');
    const socket = await liveSocket(a.url, { cookie });
    cleanups.push(async () => socket.close());
    const gone = disconnectedWithin(socket, 1_000);
    await send(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(await gone.done).toBeLessThan(1_000);
    expect(await openSocket(a.url, { cookie })).toEqual({ refused: 'unauthorized' });
  });

  it('taking anonymous access out of the config disconnects anonymous sockets, not signed-in ones', async () => {
    const a = await app({ anonymous: true });
    const anonymous = await liveSocket(a.url);
    const signedIn = await liveSocket(a.url, { cookie: await a.login('viewer') });
    cleanups.push(async () => void [anonymous, signedIn].forEach((s) => s.close()));
    const gone = disconnectedWithin(anonymous, 1_000);
    const config = a.t.app.monitor.config();
    a.t.app.setConfig({ ...config, auth: { ...config.auth, anonymous: undefined } });
    await gone.done;
    expect(signedIn.connected).toBe(true);
    expect((await send(`${a.url}/api/state`)).status).toBe(401);
  });
});

const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skip)('sessions shared by instances on one PostgreSQL store', () => {
  it('a login on one instance works on another; a revocation on either disconnects sockets on both within a second', async () => {
    const place = await postgres.place();
    cleanups.push(() => place.cleanup());
    const a = await app({ place });
    // A second instance: no history of its own, the accounts of the same schema (a web node).
    const shared = await openAccountStore(place.location);
    cleanups.push(() => shared.close());
    const b = await startTestApp(testConfig(38, { auth: {} }), { accounts: shared.accounts, runProbe: scriptedProbes().run });
    cleanups.push(() => b.close());

    const cookie = await a.login('operator');
    expect((await send(`${b.url}/api/auth/me`, { headers: { cookie } })).json<WhoAmI>().principal?.name).toBe('operator');
    const onA = await liveSocket(a.url, { cookie });
    const onB = await liveSocket(b.url, { cookie });
    cleanups.push(async () => void [onA, onB].forEach((s) => s.close()));

    const goneA = disconnectedWithin(onA, 1_000);
    const goneB = disconnectedWithin(onB, 1_000);
    const admin = await a.login('admin');
    // Revoked through instance B's admin API: A hears of it through the store.
    const res = await send(`${b.url}/api/admin/users/operator`, { method: 'PATCH', headers: { cookie: admin }, body: { role: 'viewer' } });
    expect(res.status).toBe(200);
    const [msB, msA] = [await goneB.done, await goneA.done];
    console.log(`revocation to socket disconnected: ${msB.toFixed(0)} ms on the instance that made it, ${msA.toFixed(0)} ms on the other`);
    expect(msB).toBeLessThan(1_000);
    expect(msA).toBeLessThan(1_000);
  });

  it('`hqwatch user passwd` run beside the server disconnects that user’s sockets within a second', async () => {
    const place = await postgres.place();
    cleanups.push(() => place.cleanup());
    const a = await app({ place });
    const socket = await liveSocket(a.url, { cookie: await a.login('operator') });
    cleanups.push(async () => socket.close());
    const configFile = path.join(place.dataDir, 'hqwatch.yaml');
    writeFileSync(configFile, JSON.stringify({ ...testConfigDocument(), store: place.configStore }));

    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/hqwatch.mjs'), 'user', 'passwd', 'operator', '--password-stdin', '--config', configFile],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const gone = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(performance.now())));
    child.stdin.end('a-password-from-the-cli\n');
    expect(await exited, output).toBe(0);
    const doneAt = performance.now();
    const late = (await gone) - doneAt;
    console.log(`hqwatch user passwd to socket disconnected: ${late.toFixed(0)} ms after the command exited`);
    expect(late).toBeLessThan(1_000);
    expect(output).toMatch(/password of "operator" changed/);
    expect(await a.login('operator', 'a-password-from-the-cli')).toMatch(/^hqwatch_session=/);
  });
});

/** The raw document behind `testConfig(38)` (a config file needs durations as text). */
function testConfigDocument(): Record<string, unknown> {
  return {
    monitor: { interval: '200ms', timeout: '150ms' },
    headquarters: {
      primary: { name: 'HQ primary', address: '127.38.1.10', probes: [{ kind: 'tcp', port: 4308 }] },
      secondary: { name: 'HQ secondary', address: '127.38.2.10', probes: [{ kind: 'tcp', port: 4308 }] },
    },
  };
}
