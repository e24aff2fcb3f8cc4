import Router from '@koa/router';
import type { Context } from 'koa';
import { kioskCreateSchema, userCreateSchema, userUpdateSchema, type ConfigError } from '@hqwatch/shared';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { Logger } from '../logger.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { requireRole } from './access.ts';
import { AccountError, type AccountAdmin } from './account-admin.ts';
import { principalOf } from './principal.ts';

/** What reloading the config file gave: applied (changed or not), or refused with its errors. */
export type ReloadOutcome = { ok: true; changed: boolean } | { ok: false; errors: ConfigError[] };

export interface AdminRoutesDeps {
  /** Null without a store: the user and kiosk routes answer 404. */
  admin: AccountAdmin | null;
  /** Reloads the config file; absent when the server was not started from one (the demo, tests). */
  reloadConfig?: () => Promise<ReloadOutcome>;
  log: Logger;
}

const BODY_MAX = 4 * 1024;

async function body<T>(
  ctx: Context,
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
): Promise<T> {
  if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send application/json');
  const parsed = schema.safeParse(await readJsonBody(ctx.req, BODY_MAX));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'body';
  throw new HttpError(400, 'bad_request', `${field}: ${issue.message}`, field);
}

const STATUS: Record<AccountError['reason'], { status: number; code: 'conflict' | 'not_found' | 'bad_request' }> = {
  exists: { status: 409, code: 'conflict' },
  'last-admin': { status: 409, code: 'conflict' },
  missing: { status: 404, code: 'not_found' },
  invalid: { status: 400, code: 'bad_request' },
};

/**
 * The admin page's API, admins only: users (list, add, change role or password, remove), kiosk
 * displays (list with last use, add — the token is in that one answer —, revoke) and reloading the
 * config file.
 */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = new Router({ prefix: '/api/admin' });
  const admin = requireRole('admin');

  router.use(async function accountErrors(ctx, next) {
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } catch (err) {
      if (err instanceof AccountError) throw new HttpError(STATUS[err.reason].status, STATUS[err.reason].code, err.message);
      if (err instanceof StoreUnavailableError) throw new HttpError(503, 'store_unavailable', err.message);
      throw err;
    }
  });

  const accounts = (): AccountAdmin => {
    if (!deps.admin) throw new HttpError(404, 'not_found', 'this server keeps no accounts (it has no history store)');
    return deps.admin;
  };
  const by = async (ctx: Context) => (await principalOf(ctx))?.name ?? null;

  router.get('/users', admin, async (ctx) => {
    ctx.body = await accounts().listUsers();
  });
  router.post('/users', admin, async (ctx) => {
    const input = await body(ctx, userCreateSchema);
    ctx.status = 201;
    ctx.body = await accounts().addUser(input.name, input.role, input.password);
    deps.log.info({ user: input.name, role: input.role, by: await by(ctx) }, 'user added');
  });
  router.patch('/users/:name', admin, async (ctx) => {
    const input = await body(ctx, userUpdateSchema);
    ctx.body = await accounts().updateUser(ctx.params.name!, input);
    deps.log.info(
      { user: ctx.params.name, role: input.role, password: input.password !== undefined, by: await by(ctx) },
      'user changed; sessions ended',
    );
  });
  router.delete('/users/:name', admin, async (ctx) => {
    await accounts().removeUser(ctx.params.name!);
    ctx.status = 204;
    deps.log.info({ user: ctx.params.name, by: await by(ctx) }, 'user removed; sessions ended');
  });

  router.get('/kiosks', admin, async (ctx) => {
    ctx.body = await accounts().listKiosks();
  });
  router.post('/kiosks', admin, async (ctx) => {
    const input = await body(ctx, kioskCreateSchema);
    ctx.status = 201;
    ctx.body = await accounts().addKiosk(input.name);
    deps.log.info({ kiosk: input.name, by: await by(ctx) }, 'kiosk display added');
  });
  router.delete('/kiosks/:name', admin, async (ctx) => {
    await accounts().revokeKiosk(ctx.params.name!);
    ctx.status = 204;
    deps.log.info({ kiosk: ctx.params.name, by: await by(ctx) }, 'kiosk display revoked');
  });

  router.post('/config/reload', admin, async (ctx) => {
    if (!deps.reloadConfig) throw new HttpError(409, 'conflict', 'this server was not started from a config file');
    const outcome = await deps.reloadConfig();
    deps.log.info({ ok: outcome.ok, by: await by(ctx) }, 'config reload asked from the admin page');
    // Refused is an answer too (the file has errors, listed): the running config stays.
    ctx.body = outcome;
  });

  return router;
}
