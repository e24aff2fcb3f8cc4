import Router from '@koa/router';
import type { Context } from 'koa';
import {
  ANNOTATION_MAX_BYTES,
  annotationInputSchema,
  annotationUpdateSchema,
  type HqwatchConfig,
  type IncidentDetail,
} from '@hqwatch/shared';
import { exportCsv } from './export-csv.ts';
import { exportJson } from './export-json.ts';
import { exportMarkdown } from './export-markdown.ts';
import { storeAnswers } from '../store/store-answers.ts';
import type { Store } from '../store/store.ts';
import { availabilityQuery, exportQuery, incidentListQuery, parseQuery, replayQuery } from './history-query.ts';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import { requireRole } from '../auth/access.ts';
import { DEFAULT_HISTORY_LIMITS, historyLimits, type HistoryLimits } from './history-limits.ts';

export interface HistoryDeps {
  store: Store;
  getConfig: () => HqwatchConfig;
  /** Reverse proxies whose `X-Forwarded-For` names the client (`http.trustProxy`); none by default. */
  trustedProxies?: () => readonly string[];
  /** The defaults when absent. */
  limits?: { history: HistoryLimits };
  /** Wall clock for annotation times and default ranges. */
  now?: () => Date;
}

const DAY_MS = 86_400_000;
/** The longest availability range: a year and a bit, so "the last 12 months" always fits. */
export const MAX_AVAILABILITY_DAYS = 400;

const EXPORTS = {
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  md: { type: 'text/markdown; charset=utf-8', extension: 'md' },
} as const;

function notFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `no incident "${id}"`);
}

function bodyIssue(issues: readonly { path: PropertyKey[]; message: string }[]): HttpError {
  const issue = issues[0]!;
  const field = issue.path.map(String).join('.') || 'body';
  return new HttpError(400, 'bad_request', `${field}: ${issue.message}`, field);
}

/**
 * The history API: incidents (list, detail, export, replay, annotations) and availability. Every
 * answer is computed from the store; nothing is cached, so a just-committed event is visible.
 */
export function historyRoutes(deps: HistoryDeps): Router {
  const { store } = deps;
  const now = () => (deps.now ? deps.now() : new Date());
  const router = new Router({ prefix: '/api' });

  router.use(storeAnswers());
  const trustedProxies = deps.trustedProxies ?? (() => []);
  router.use(historyLimits(deps.limits?.history ?? DEFAULT_HISTORY_LIMITS, trustedProxies));

  async function detailOf(ctx: Context): Promise<IncidentDetail> {
    const id = ctx.params.id as string;
    const detail = await store.incidentDetail(id, deps.getConfig());
    if (!detail) throw notFound(id);
    return detail;
  }

  const viewer = requireRole('viewer');

  router.get('/incidents', viewer, async (ctx) => {
    const query = parseQuery(incidentListQuery, ctx.query);
    ctx.body = await store.listIncidents(query, deps.getConfig());
  });

  router.get('/incidents/:id', viewer, async (ctx) => {
    ctx.body = await detailOf(ctx);
  });

  router.get('/incidents/:id/export', viewer, async (ctx) => {
    const { format, tz, appendix } = parseQuery(exportQuery, ctx.query);
    const detail = await detailOf(ctx);
    const { type, extension } = EXPORTS[format];
    const markdown = () => exportMarkdown(detail, { zone: tz ?? null, appendix: appendix === '1' || appendix === 'true' });
    const body = format === 'json' ? exportJson(detail, now().toISOString()) : format === 'csv' ? exportCsv(detail) : markdown();
    ctx.type = type;
    ctx.attachment(`${detail.incident.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`);
    ctx.body = body;
  });

  router.get('/incidents/:id/replay', viewer, async (ctx) => {
    const id = ctx.params.id as string;
    const { at } = parseQuery(replayQuery, ctx.query);
    const result = await store.replay(id, at, deps.getConfig());
    if (result.ok) {
      ctx.body = result.state;
      return;
    }
    if (result.reason === 'not-found') throw notFound(id);
    throw new HttpError(400, 'bad_request', `at: must be within the incident, from ${result.startedAt} to ${result.endedAt}`, 'at');
  });

  router.post('/incidents/:id/annotations', requireRole('operator'), async (ctx) => {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the annotation as application/json');
    const body = await readJsonBody(ctx.req, ANNOTATION_MAX_BYTES);
    const input = annotationInputSchema.safeParse(body);
    if (!input.success) throw bodyIssue(input.error.issues);
    const id = ctx.params.id as string;
    const annotation = await store.annotate(id, input.data, now().toISOString());
    if (!annotation) throw notFound(id);
    ctx.status = 201;
    ctx.body = annotation;
  });

  router.patch('/incidents/:id/annotations/:annotationId', requireRole('operator'), async (ctx) => {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the change as application/json');
    const body = await readJsonBody(ctx.req, ANNOTATION_MAX_BYTES);
    const input = annotationUpdateSchema.safeParse(body);
    if (!input.success) throw bodyIssue(input.error.issues);
    const id = ctx.params.id as string;
    const annotationId = ctx.params.annotationId as string;
    const annotation = await store.setFollowUp(id, annotationId, input.data.followUp);
    if (!annotation) throw new HttpError(404, 'not_found', `no note "${annotationId}" on incident "${id}"`);
    ctx.body = annotation;
  });

  router.get('/availability', viewer, async (ctx) => {
    const query = parseQuery(availabilityQuery, ctx.query);
    const to = query.to ?? now().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
    if (Date.parse(from) >= Date.parse(to)) throw new HttpError(400, 'bad_request', 'from: must be before to', 'from');
    if (Date.parse(to) - Date.parse(from) > MAX_AVAILABILITY_DAYS * DAY_MS)
      throw new HttpError(400, 'bad_request', `from: the range may span at most ${MAX_AVAILABILITY_DAYS} days`, 'from');
    ctx.body = await store.availability(from, to, deps.getConfig(), query.planned);
  });

  return router;
}
