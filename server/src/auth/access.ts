import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { roleAllows, type Role } from '@hqwatch/shared';
import { HttpError } from '../http/http-error.ts';
import { principalOf } from './principal.ts';

/** What a route requires: a role at least, or nothing (`public`: login, the page that asks who you are). */
export type Access = Role | 'public';

const ACCESS = Symbol('hqwatch.access');
type AccessMiddleware = Middleware & { [ACCESS]: Access };

function tagged(access: Access, fn: Middleware): AccessMiddleware {
  return Object.assign(fn, { [ACCESS]: access });
}

/**
 * The first middleware of every route that needs a role: 401 when nobody is signed in (or only
 * anonymous access, which a login could raise), 403 when the one signed in has a lesser role.
 */
export function requireRole(role: Role): Middleware {
  return tagged(role, async function requireRole(ctx, next) {
    const principal = await principalOf(ctx);
    if (!roleAllows(principal?.role, role)) {
      if (!principal || principal.kind === 'anonymous') throw new HttpError(401, 'unauthorized', `sign in as ${role} or above`);
      throw new HttpError(403, 'forbidden', `this needs the ${role} role`);
    }
    await next();
  });
}

/**
 * The status pages' rule (`/status*`): a viewer, as {@link requireRole}, unless the config makes
 * them public (`statusPage.public`), read at each request. Tagged `viewer`: the stricter of the two.
 * `refused` answers a browser in its own words (a page rather than a JSON error); it may decline.
 */
export function statusAccess(isPublic: () => boolean, refused?: (ctx: Context, status: 401 | 403) => boolean): Middleware {
  return tagged('viewer', async function statusAccess(ctx, next) {
    if (!isPublic()) {
      const principal = await principalOf(ctx);
      if (!roleAllows(principal?.role, 'viewer')) {
        const status = !principal || principal.kind === 'anonymous' ? 401 : 403;
        if (refused?.(ctx, status)) return;
        if (status === 401) throw new HttpError(401, 'unauthorized', 'sign in as viewer or above');
        throw new HttpError(403, 'forbidden', 'this needs the viewer role');
      }
    }
    await next();
  });
}

/** The first middleware of a route anyone may call; it says so, for the check below. */
export function publicRoute(): Middleware {
  return tagged('public', async function publicRoute(_ctx, next) {
    await next();
  });
}

/** The access a route's first middleware declares, if it is one of the above. */
export function accessOf(fn: unknown): Access | undefined {
  return typeof fn === 'function' ? (fn as Partial<AccessMiddleware>)[ACCESS] : undefined;
}

/** The routes of a router: method, path and what each requires (undefined: nothing declared). */
export function routesOf(router: Router): { methods: string[]; path: string; access: Access | undefined }[] {
  return router.stack
    .filter((layer) => layer.methods.length > 0)
    .map((layer) => ({ methods: layer.methods, path: String(layer.path), access: accessOf(layer.stack[0]) }));
}

/**
 * Refuses (throws, at start) a router with a route that does not begin with `requireRole(…)` or
 * `publicRoute()`: no route is ever served without a rule, whoever adds it.
 */
export function assertRouteAccess(router: Router): void {
  for (const route of routesOf(router)) {
    if (route.access === undefined)
      throw new Error(`${route.methods.join(',')} ${route.path} has no access rule: start it with requireRole(…) or publicRoute()`);
  }
}
