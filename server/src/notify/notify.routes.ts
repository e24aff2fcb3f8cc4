import Router from '@koa/router';
import { z } from 'zod';
import { channelTarget, type HqwatchConfig, type MessageView, type NotifyOverview, type TestSendResult } from '@hqwatch/shared';
import { requireRole } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import { storeAnswers } from '../store/store-answers.ts';
import type { Store } from '../store/store.ts';
import type { Notifier } from './notifier.ts';

export interface NotifyRoutesDeps {
  notifier: Notifier;
  store: Store | null;
  getConfig: () => HqwatchConfig;
  now: () => number;
}

export const testBody = z.strictObject({ channel: z.string({ error: 'channel is required' }).min(1, 'channel is empty') });
export const messagesQuery = z.object({
  incident: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Undeliverable deliveries listed in the overview at most. */
const UNDELIVERABLE_LISTED = 50;

/**
 * `/api/notify`: how alerting stands (channels without their secrets, pending and undeliverable
 * deliveries), the recorded messages, a test send and a retry of an undeliverable delivery (the
 * last two for operators).
 */
export function notifyRoutes(deps: NotifyRoutesDeps): Router {
  const { notifier, store } = deps;
  const router = new Router({ prefix: '/api/notify' });
  const viewer = requireRole('viewer');
  const operator = requireRole('operator');

  router.use(storeAnswers());

  router.get('/', viewer, async (ctx) => {
    const config = deps.getConfig();
    const status = await notifier.status();
    const list = store ? await store.notify.undeliverable(UNDELIVERABLE_LISTED).catch(() => []) : [];
    const body: NotifyOverview = {
      enabled: status.enabled,
      channels: status.channels.map((c) => {
        const configured = config.notify.channels.find((x) => x.id === c.id);
        const { sent, failed, retries } = c.counters;
        return { ...c, target: configured ? channelTarget(configured) : '', counters: { sent, failed, retries } };
      }),
      routes: config.notify.routes.map((r) => ({
        channels: r.channels,
        events: r.events ?? null,
        sites: r.sites ?? null,
        servers: r.servers ?? null,
        repeatMs: r.repeat ?? null,
      })),
      pending: status.pending,
      undeliverable: status.undeliverable,
      problem: status.problem,
      undeliverableList: list,
    };
    ctx.body = body;
  });

  router.get('/messages', viewer, async (ctx) => {
    if (!store) throw new HttpError(404, 'not_found', 'no history store: no messages are recorded');
    const parsed = messagesQuery.safeParse(ctx.query);
    if (!parsed.success)
      throw new HttpError(400, 'bad_request', `${parsed.error.issues[0]!.path.join('.') || 'query'}: ${parsed.error.issues[0]!.message}`);
    const { incident, limit } = parsed.data;
    const records: MessageView[] = await store.notify.messages({ ...(incident && { incidentId: incident }), limit });
    ctx.body = { messages: records };
  });

  router.post('/test', operator, async (ctx) => {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send { "channel": "<id>" } as application/json');
    const parsed = testBody.safeParse(await readJsonBody(ctx.req, 1_024));
    if (!parsed.success) throw new HttpError(400, 'bad_request', `channel: ${parsed.error.issues[0]!.message}`, 'channel');
    const { channel } = parsed.data;
    if (!deps.getConfig().notify.channels.some((c) => c.id === channel)) throw new HttpError(404, 'not_found', `no channel "${channel}"`);
    const result = await notifier.test(channel, new Date(deps.now()).toISOString());
    const body: TestSendResult = result.ok ? { ok: true, channel } : { ok: false, channel, error: result.error };
    ctx.status = result.ok ? 200 : 502;
    ctx.body = body;
  });

  router.post('/outbox/:id/retry', operator, async (ctx) => {
    if (!store) throw new HttpError(404, 'not_found', 'no history store');
    const id = Number(ctx.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, 'bad_request', 'id: expected a delivery number', 'id');
    const nowMs = deps.now();
    const retried = await store.notify.retry(id, nowMs, nowMs + deps.getConfig().notify.delivery.deadline);
    if (!retried) throw new HttpError(404, 'not_found', `no undeliverable delivery ${id}`);
    notifier.wake();
    ctx.body = { ok: true, id };
  });

  return router;
}
