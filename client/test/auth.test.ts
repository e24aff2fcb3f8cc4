import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { WhoAmI } from '@hqwatch/shared';
import { isServerPage, kioskNotice, loginErrorText, nextPath } from '../src/auth/login.ts';

type Handler = (...args: never[]) => void;

/** A socket double: records listeners and (re)connections; the test plays the server. */
class FakeSocket {
  connected = false;
  active = false;
  connects = 0;
  disconnects = 0;
  handlers = new Map<string, Handler[]>();
  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off() {
    return this;
  }
  connect() {
    this.connects += 1;
    this.active = true;
    return this;
  }
  disconnect() {
    this.disconnects += 1;
    this.active = false;
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) (handler as (...a: unknown[]) => void)(...args);
  }
}

const fake = vi.hoisted(() => ({ socket: null as unknown as FakeSocket }));
vi.mock('../src/state/socket.ts', () => ({
  get socket() {
    return fake.socket;
  },
}));

const { useAuthStore } = await import('../src/auth/auth.store.ts');

/** The server's answers to /api/auth/me and /api/auth/login, changed by the test as it goes. */
function server(me: WhoAmI) {
  const state = { me, calls: [] as string[] };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init?: RequestInit) => {
      state.calls.push(`${init?.method ?? 'GET'} ${path}`);
      if (path === '/api/auth/login') {
        const { password } = JSON.parse(String(init?.body)) as { password: string };
        if (password !== 'right-password')
          return new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'wrong name or password' } }), { status: 401 });
        state.me = { principal: { kind: 'user', name: 'ops', role: 'operator' }, anonymous: state.me.anonymous };
        return new Response(JSON.stringify(state.me), { status: 200 });
      }
      if (path === '/api/auth/logout') {
        const anonymous = state.me.anonymous;
        state.me = { principal: anonymous ? { kind: 'anonymous', name: null, role: anonymous } : null, anonymous };
        return new Response(null, { status: 204 });
      }
      return new Response(JSON.stringify(state.me), { status: 200 });
    }),
  );
  return state;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('auth store: who the server takes this browser for', () => {
  beforeEach(() => {
    fake.socket = new FakeSocket();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks once at start; with nobody signed in and no anonymous reading, the sign-in screen is needed', async () => {
    server({ principal: null, anonymous: null });
    const auth = useAuthStore();
    expect(auth.known).toBe(false);
    expect(auth.needsLogin).toBe(false); // nothing hidden before the server has answered
    await settle();
    expect(auth.needsLogin).toBe(true);
  });

  it('lets anyone read where the server allows anonymous viewers', async () => {
    server({ principal: { kind: 'anonymous', name: null, role: 'viewer' }, anonymous: 'viewer' });
    const auth = useAuthStore();
    await settle();
    expect(auth.needsLogin).toBe(false);
    expect(auth.can('viewer')).toBe(true);
    expect(auth.can('operator')).toBe(false);
  });

  it('signs in, then opens the socket again so that it is taken for the one signed in', async () => {
    server({ principal: null, anonymous: null });
    const auth = useAuthStore();
    await settle();
    expect(await auth.login('ops', 'wrong')).toMatchObject({ httpStatus: 401 });
    expect(auth.needsLogin).toBe(true);
    expect(await auth.login('ops', 'right-password')).toBeNull();
    expect(auth.needsLogin).toBe(false);
    expect(auth.principal).toEqual({ kind: 'user', name: 'ops', role: 'operator' });
    expect(fake.socket.disconnects).toBe(1);
    expect(fake.socket.connects).toBeGreaterThanOrEqual(1);
  });

  it('goes to the sign-in screen when the socket is refused as unauthorized, or closed by the server (a revocation)', async () => {
    const s = server({ principal: { kind: 'kiosk', name: 'Lobby', role: 'viewer' }, anonymous: null });
    const auth = useAuthStore();
    await settle();
    expect(auth.needsLogin).toBe(false);
    // The display is revoked: the server closes the socket, and the session is gone.
    s.me = { principal: null, anonymous: null };
    fake.socket.fire('disconnect', 'io server disconnect');
    await settle();
    expect(auth.needsLogin).toBe(true);
    // Signed in elsewhere meanwhile: a refused handshake asks again and the socket comes back.
    s.me = { principal: { kind: 'user', name: 'ops', role: 'operator' }, anonymous: null };
    fake.socket.fire('connect_error', new Error('unauthorized'));
    await settle();
    expect(auth.needsLogin).toBe(false);
    expect(fake.socket.connects).toBe(1);
  });

  it('a transport failure is not a sign-out', async () => {
    const s = server({ principal: { kind: 'user', name: 'ops', role: 'operator' }, anonymous: null });
    useAuthStore();
    await settle();
    const before = s.calls.length;
    fake.socket.fire('disconnect', 'transport close');
    fake.socket.fire('connect_error', new Error('websocket error'));
    await settle();
    expect(s.calls.length).toBe(before);
  });

  it('signs out and asks again who it is', async () => {
    server({ principal: { kind: 'user', name: 'ops', role: 'operator' }, anonymous: 'viewer' });
    const auth = useAuthStore();
    await settle();
    await auth.logout();
    expect(auth.principal).toEqual({ kind: 'anonymous', name: null, role: 'viewer' });
    expect(auth.needsLogin).toBe(false); // anonymous viewers may still read
  });
});

describe('sign-in words and redirects', () => {
  it('says what to do about a refused sign-in', () => {
    expect(loginErrorText({ httpStatus: 401, message: 'x' })).toBe('Wrong name or password.');
    expect(loginErrorText({ httpStatus: 429, message: 'x' })).toMatch(/Too many failed sign-ins/);
    expect(loginErrorText({ httpStatus: 0, message: 'x' })).toBe('The server cannot be reached.');
    expect(loginErrorText({ httpStatus: 500, message: 'internal error' })).toBe('internal error');
  });

  it('goes back only to a page of this site after signing in', () => {
    expect(nextPath('/incidents/42?at=1')).toBe('/incidents/42?at=1');
    for (const elsewhere of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', undefined, ['/a']])
      expect(nextPath(elsewhere)).toBe('/');
    expect(nextPath('/login?next=/admin')).toBe('/');
  });

  it('goes back to a status page by a full load: the server renders it, the dashboard has no route for it', () => {
    for (const path of ['/status', '/status/boston', '/status?q=bos']) expect(isServerPage(path)).toBe(true);
    for (const path of ['/', '/sites', '/statusx', '/incidents/status']) expect(isServerPage(path)).toBe(false);
  });

  it('tells a wall its kiosk link was refused', () => {
    expect(kioskNotice({ kiosk: 'refused' })).toMatch(/revoked/);
    expect(kioskNotice({})).toBeNull();
  });
});
