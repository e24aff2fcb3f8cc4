// Authentication and authorization bypass, route by route and socket event by event: every REST
// route the app mounts (found by enumerating its routers' layers, not from a list kept by hand) is
// called as each kind of principal, and every client command is sent by each. Loopback octet 37
// (scripted probes: nothing is probed).
import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAllows, type ClientToServerEvents, type Role } from '@hqwatch/shared';
import { assertRouteAccess, publicRoute, requireRole, routesOf, type Access } from '../../src/auth/access.ts';
import { SOCKET_EVENT_ACCESS } from '../../src/auth/socket-auth.ts';
import { mountRouters } from '../../src/api/routes.ts';
import { OPERATOR_TOKEN, liveSocket, openSocket, send, startAuthApp, syncOrNothing, type AuthApp } from './auth-support.ts';

/**
 * What each route requires, as a reviewer agreed it. A route the app mounts that is missing here
 * fails the test: adding a route means deciding who may call it.
 */
const EXPECTED: Record<string, Access> = {
  'GET /api/state': 'viewer',
  'GET /api/health': 'viewer',
  'GET /api/sites': 'viewer',
  'GET /api/cluster': 'viewer',
  'GET /api/live': 'public',
  'GET /api/openapi.json': 'viewer',
  'GET /metrics': 'viewer',
  'GET /api/incidents': 'viewer',
  'GET /api/incidents/:id': 'viewer',
  'GET /api/incidents/:id/export': 'viewer',
  'GET /api/incidents/:id/replay': 'viewer',
  'POST /api/incidents/:id/annotations': 'operator',
  'PATCH /api/incidents/:id/annotations/:annotationId': 'operator',
  'GET /api/availability': 'viewer',
  'GET /api/notify': 'viewer',
  'GET /api/notify/messages': 'viewer',
  'POST /api/notify/test': 'operator',
  'POST /api/notify/outbox/:id/retry': 'operator',
  'GET /api/maintenance': 'viewer',
  'POST /api/maintenance': 'operator',
  'DELETE /api/maintenance/:id': 'operator',
  'GET /api/auth/me': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /wall': 'public',
  // The status pages for users: viewers, or anyone with statusPage.public (status-page-access.test.ts).
  'GET /status': 'viewer',
  'GET /status/_/:script': 'viewer',
  'GET /status/:file': 'viewer',
  'GET /status/:siteId/events': 'viewer',
  'GET /api/admin/users': 'admin',
  'POST /api/admin/users': 'admin',
  'PATCH /api/admin/users/:name': 'admin',
  'DELETE /api/admin/users/:name': 'admin',
  'GET /api/admin/kiosks': 'admin',
  'POST /api/admin/kiosks': 'admin',
  'DELETE /api/admin/kiosks/:name': 'admin',
  'POST /api/admin/config/reload': 'admin',
};

/** What each client command requires. */
const EXPECTED_EVENTS: Record<keyof ClientToServerEvents, Role> = { 'state:sync': 'viewer' };

type Who = 'nobody' | 'viewer' | 'kiosk' | 'operator' | 'operator token' | 'admin';
const EVERYONE: Who[] = ['nobody', 'viewer', 'kiosk', 'operator', 'operator token', 'admin'];

/** The role each principal acts with; `nobody` has none unless anonymous viewers are allowed. */
function roleOf(who: Who, anonymous: boolean): Role | null {
  if (who === 'nobody') return anonymous ? 'viewer' : null;
  if (who === 'kiosk') return 'viewer';
  if (who === 'operator token') return 'operator';
  return who;
}

/** Every route of every router the app mounted, from Koa's middleware (the routers' dispatchers). */
function mountedRoutes(app: Koa): { method: string; path: string; access: Access | undefined }[] {
  const routers = app.middleware.flatMap((fn) => {
    const router = (fn as { router?: Router }).router;
    return router ? [router] : [];
  });
  expect(routers.length).toBeGreaterThan(0);
  return routers
    .flatMap(routesOf)
    .flatMap((r) => r.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: r.path, access: r.access })));
}

/** A request each route can take without changing anything that matters: names that do not exist, bodies that are refused. */
function requestFor(method: string, path: string): { path: string; body?: unknown } {
  const filled = path.replace(':id', 'inc-none').replace(':annotationId', 'note-none').replace(':name', 'nobody-at-all');
  if (method === 'GET' || method === 'DELETE') return { path: filled };
  return { path: filled, body: {} };
}

describe.each([false, true])('every route and socket event against every principal (anonymous viewers: %s)', (anonymous) => {
  let a: AuthApp;
  const headers = {} as Record<Who, Record<string, string>>;

  beforeAll(async () => {
    a = await startAuthApp(37, { anonymous });
    const kiosk = await a.t.app.auth.admin!.addKiosk('Matrix wall');
    // The display's cookie, as a wall gets it: the token once, then the session.
    const landing = await send(`${a.url}${kiosk.path}`);
    expect(landing.status).toBe(303);
    headers.nobody = {};
    headers.kiosk = { cookie: landing.cookie()! };
    headers['operator token'] = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    for (const role of ['viewer', 'operator', 'admin'] as const) headers[role] = { cookie: await a.login(role) };
  });
  afterAll(() => a.close());

  it('mounts exactly the routes in the table, each with the rule the table gives', () => {
    const mounted = mountedRoutes(a.t.app.app);
    const keys = mounted.map((r) => `${r.method} ${r.path}`);
    const unknown = keys.filter((k) => !(k in EXPECTED));
    expect(unknown, 'routes without an expected rule in this test: decide who may call them').toEqual([]);
    expect([...new Set(keys)].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const r of mounted) expect(r.access, `${r.method} ${r.path}`).toBe(EXPECTED[`${r.method} ${r.path}`]);
  });

  it('answers each principal on each route as its rule says: 401 signed out, 403 too weak, through otherwise', async () => {
    // Logging out ends the session its cookie names: last.
    const routes = mountedRoutes(a.t.app.app).sort((x, y) => Number(x.path.endsWith('logout')) - Number(y.path.endsWith('logout')));
    const failures: string[] = [];
    for (const route of routes) {
      for (const who of EVERYONE) {
        if (route.path.endsWith('logout') && who !== 'nobody') continue;
        const { path, body } = requestFor(route.method, route.path);
        const res = await send(`${a.url}${path}`, { method: route.method, headers: { ...headers[who] }, body });
        const rule = EXPECTED[`${route.method} ${route.path}`]!;
        const role = roleOf(who, anonymous);
        const allowed = rule === 'public' || roleAllows(role, rule);
        const expected = allowed ? 'through' : role === null || (who === 'nobody' && anonymous) ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : 'through';
        if (got !== expected) failures.push(`${route.method} ${route.path} as ${who}: expected ${expected}, got ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses the socket to nobody unless anonymous viewers are allowed, and answers each command by its rule', async () => {
    expect(Object.keys(SOCKET_EVENT_ACCESS).sort()).toEqual(Object.keys(EXPECTED_EVENTS).sort());
    for (const who of EVERYONE) {
      const role = roleOf(who, anonymous);
      const opened = await openSocket(a.url, headers[who]);
      if (role === null) {
        expect(opened, who).toEqual({ refused: 'unauthorized' });
        continue;
      }
      expect('socket' in opened, who).toBe(true);
      const socket = (opened as { socket: Awaited<ReturnType<typeof liveSocket>> }).socket;
      for (const [event, needed] of Object.entries(EXPECTED_EVENTS)) {
        expect(event).toBe('state:sync'); // the only command today; a new one needs its own call here
        const answer = await syncOrNothing(socket);
        if (roleAllows(role, needed)) expect(answer, `${who} ${event}`).toMatchObject({ hq: expect.anything() });
        else expect(answer, `${who} ${event}`).toBeNull();
      }
      // An event outside the contract is dropped, whoever sends it, and the socket stays up.
      const unknown = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve('dropped'), 500);
        socket.emit('admin:users' as never, () => {
          clearTimeout(timer);
          resolve('answered');
        });
      });
      expect(unknown).toBe('dropped');
      expect(socket.connected).toBe(true);
      socket.close();
    }
  });
});

describe('a route without an access rule', () => {
  it('is refused at start: the app does not mount it', () => {
    const app = new Koa();
    const unruled = routerWith((r) => r.get('/api/secret', (ctx) => void (ctx.body = 'secret')));
    expect(() => mountRouters(app, [unruled])).toThrow(/HEAD,GET \/api\/secret has no access rule/);
    expect(app.middleware).toHaveLength(0);
    // A rule that is not first does not count: the handler would run before it.
    const late = routerWith((r) =>
      r.post(
        '/api/late',
        async (_ctx, next) => next(),
        requireRole('admin'),
        (ctx) => void (ctx.body = 1),
      ),
    );
    expect(() => assertRouteAccess(late)).toThrow(/POST \/api\/late/);
    const ruled = routerWith((r) => r.get('/api/fine', publicRoute(), (ctx) => void (ctx.body = 1)));
    expect(() => assertRouteAccess(ruled)).not.toThrow();
  });

  it('knows every role the shared contract names', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
  });
});

function routerWith(build: (router: Router) => void): Router {
  const router = new Router();
  build(router);
  return router;
}
