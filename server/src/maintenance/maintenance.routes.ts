import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import { maintenanceAt, maintenanceInputSchema, maintenanceSpan, type MaintenanceList } from '@hqwatch/shared';
import { requireRole } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import { storeAnswers } from '../store/store-answers.ts';
import type { Store } from '../store/store.ts';

/** `?all=1` (or `true`): every window ever kept, not only those of the last 7 days and to come. */
export const maintenanceListQuery = z.object({ all: z.enum(['1', 'true', '0', 'false']).optional() });

export interface MaintenanceRoutesDeps {
  store: Store;
  now: () => number;
  /** Told after every change, so alerting mutes (or stops muting) at once. */
  changed: () => Promise<void>;
}

/**
 * `/api/maintenance`: planned maintenance windows. Viewers list them; operators schedule one
 * (`from` absent: opened on the spot), and end or remove one (a window not started yet is removed,
 * one in progress ends now).
 */
export function maintenanceRoutes(deps: MaintenanceRoutesDeps): Router {
  const { store } = deps;
  const router = new Router({ prefix: '/api/maintenance' });
  const viewer = requireRole('viewer');
  const operator = requireRole('operator');

  router.use(storeAnswers());

  router.get('/', viewer, async (ctx) => {
    const nowMs = deps.now();
    const query = maintenanceListQuery.safeParse(ctx.query);
    const all = query.success && (query.data.all === '1' || query.data.all === 'true');
    const windows = await store.maintenance.list(all ? null : nowMs - 7 * 86_400_000);
    const body: MaintenanceList = { windows, active: maintenanceAt(windows, nowMs) };
    ctx.body = body;
  });

  router.post('/', operator, async (ctx) => {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the window as application/json');
    const parsed = maintenanceInputSchema.safeParse(await readJsonBody(ctx.req, 4_096));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || 'body';
      throw new HttpError(400, 'bad_request', `${field}: ${issue.message}`, field);
    }
    const nowMs = deps.now();
    const span = maintenanceSpan(parsed.data, nowMs);
    if ('error' in span) throw new HttpError(400, 'bad_request', span.error, span.field);
    const window = await store.maintenance.add({
      id: `mw-${randomUUID().slice(0, 8)}`,
      fromMs: span.fromMs,
      toMs: span.toMs,
      reason: parsed.data.reason,
      createdAtMs: nowMs,
    });
    await deps.changed();
    ctx.status = 201;
    ctx.body = window;
  });

  router.delete('/:id', operator, async (ctx) => {
    const id = ctx.params.id as string;
    const result = await store.maintenance.remove(id, deps.now());
    if (!result) throw new HttpError(404, 'not_found', `no maintenance window "${id}" that is still to come or in progress`);
    await deps.changed();
    ctx.body = result;
  });

  return router;
}
