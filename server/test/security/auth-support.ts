/**
 * What the accounts and access-control tests share: a real app on a real store with users, a kiosk
 * display and an operator token; HTTP requests from a chosen loopback address with cookies kept by
 * hand (as a browser would); real socket.io clients carrying those cookies.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CONTRACT_VERSION, type Role } from '@hqwatch/shared';
import { io as connect, type Socket } from 'socket.io-client';
import type { AppDeps } from '../../src/app.ts';
import { systemClock, type Clock } from '../../src/monitor/clock.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { STORE_BACKENDS, type StorePlace } from '../support/store-backends.ts';

export const OPERATOR_TOKEN = 'ops-token-for-scripts-0123456789';
/** Passwords of the users every app here has (long enough for the rules, different from each other). */
export const PASSWORDS = { viewer: 'viewer-password-1', operator: 'operator-password-1', admin: 'admin-password-1' } as const;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = unknown>(): T;
  /** The session cookie this reply sets (`name=value`), or null. */
  cookie(): string | null;
  setCookie(): string | null;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The address the request comes from (a 127.x.y.z of this machine). */
  from?: string;
  /** The certificate to trust for an https:// URL. */
  ca?: string;
}

/** One HTTP(S) request with node:http(s) (fetch cannot choose its source address). */
export function send(url: string, opts: RequestOptions = {}): Promise<Reply> {
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...opts.headers };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method: opts.method ?? 'GET', headers, localAddress: opts.from, ca: opts.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const setCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('hqwatch_session=')) ?? null;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
          setCookie: () => setCookie,
          cookie: () => (setCookie ? setCookie.split(';')[0]! : null),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A clock whose wall time a test moves forward (session lifetimes, login windows). */
export function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { ...systemClock, now: () => systemClock.now() + offset, advance: (ms) => void (offset += ms) };
}

export interface AuthApp {
  t: TestApp;
  url: string;
  store: Store;
  place: StorePlace;
  clock: ReturnType<typeof movableClock>;
  /** Signs in; the session cookie (`hqwatch_session=…`). */
  login(role: Role | string, password?: string, from?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real app (createApp) on a SQLite store (or the place given) with a viewer, an operator and an
 * admin named after their roles, and the operator token; reading needs a login unless `anonymous`.
 */
export async function startAuthApp(
  octet: number,
  opts: { anonymous?: boolean; place?: StorePlace; config?: Record<string, unknown>; deps?: Partial<AppDeps> } = {},
): Promise<AuthApp> {
  const place = opts.place ?? (await STORE_BACKENDS[0]!.place());
  const store = await place.open();
  const clock = movableClock();
  const config = testConfig(octet, {
    auth: { ...(opts.anonymous ? { anonymous: 'viewer' } : {}), operatorTokens: [OPERATOR_TOKEN] },
    ...opts.config,
  });
  const t = await startTestApp(config, { store, clock, runProbe: scriptedProbes().run, ...opts.deps });
  for (const role of ['viewer', 'operator', 'admin'] as const) await t.app.auth.admin!.putUser(role, role, PASSWORDS[role]);
  const url = t.url;
  return {
    t,
    url,
    store,
    place,
    clock,
    async login(name, password, from) {
      const res = await send(`${url}/api/auth/login`, {
        method: 'POST',
        body: { name, password: password ?? PASSWORDS[name as Role] },
        from,
      });
      if (res.status !== 200) throw new Error(`login of ${name} answered ${res.status}: ${res.text}`);
      return res.cookie()!;
    },
    async close() {
      await t.close();
      if (!opts.place) await place.cleanup();
    },
  };
}

export type LiveSocket = Socket;

/** A real socket.io client with these headers; resolves once connected, or with the refusal's message. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ socket: LiveSocket } | { refused: string }> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    timeout: 5_000,
    extraHeaders: headers,
    forceNew: true,
    auth: { contractVersion: CONTRACT_VERSION },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (err) => {
      socket.close();
      resolve({ refused: err.message });
    });
  });
}

/** Connects or throws. */
export async function liveSocket(url: string, headers: Record<string, string> = {}): Promise<LiveSocket> {
  const result = await openSocket(url, headers);
  if ('refused' in result) throw new Error(`socket refused: ${result.refused}`);
  return result.socket;
}

/** Resolves with the milliseconds from now until the server disconnects the socket (rejects after `withinMs`). */
export function disconnectedWithin(socket: LiveSocket, withinMs: number): { done: Promise<number> } {
  const start = performance.now();
  return {
    done: new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still connected after ${withinMs} ms`)), withinMs);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        if (reason !== 'io server disconnect') reject(new Error(`socket disconnected for another reason: ${reason}`));
        else resolve(performance.now() - start);
      });
    }),
  };
}

/** `state:sync` answered (the full snapshot), or `null` when no answer came within `ms` (dropped). */
export function syncOrNothing(socket: LiveSocket, ms = 1_000): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    socket.emit('state:sync', (state: unknown) => {
      clearTimeout(timer);
      resolve(state);
    });
  });
}
