import { createServer, type Server } from 'node:http';
import Koa, { type Context } from 'koa';
import Router from '@koa/router';
import { z } from 'zod';
import { issuesToErrors } from '@hqwatch/shared';
import { LOCALHOST } from './addresses.ts';
import { listenTcp, closeTcp } from './listeners.ts';
import { UnknownNodeError, type Lab } from './lab.ts';
import { NODE_STATES } from './node-state.ts';
import type { ScenarioPlayer } from './scenario-player.ts';
import { BUILTIN_SCENARIOS, isBuiltinScenario, resolveScenario } from './scenarios.ts';
import { errorHandler } from '../http/error-handler.ts';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';

/** Default port of the control API; far from the dashboard's 8080 and the Director's 8000. */
export const LAB_CONTROL_PORT = 8090;
const MAX_BODY_BYTES = 16 * 1024;

export interface ControlApiOptions {
  lab: Lab;
  player: ScenarioPlayer;
  /** 0 picks a free port (tests). */
  port?: number;
  log?: (line: string) => void;
}

export interface ControlApi {
  /** Always 127.0.0.1: the control API changes what the lab answers and must not be reachable from elsewhere. */
  address: string;
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

const nodeStateBody = z
  .strictObject({
    state: z.enum(NODE_STATES),
    latencyMs: z.number().min(0).max(600_000).optional(),
    periodMs: z.number().int().min(1).max(3_600_000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.latencyMs !== undefined && b.state !== 'slow')
      ctx.addIssue({ code: 'custom', path: ['latencyMs'], message: 'latencyMs only applies to state slow' });
    if (b.periodMs !== undefined && b.state !== 'flapping')
      ctx.addIssue({ code: 'custom', path: ['periodMs'], message: 'periodMs only applies to state flapping' });
  });

const scenarioBody = z.strictObject({ name: z.string().min(1), speed: z.number().positive().max(100_000).optional() });

/**
 * Parses a body with a schema; a mismatch is a 400 naming the first field and listing every error.
 * Only `application/json` is read (see `sameSiteOnly`).
 */
async function body<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  const result = schema.safeParse(await readJsonBody(ctx.req, MAX_BODY_BYTES));
  if (result.success) return result.data;
  const errors = issuesToErrors(result.error.issues);
  throw new HttpError(400, 'invalid_body', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors[0]?.path);
}

function routes(lab: Lab, player: ScenarioPlayer): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.body = { nodes: '/nodes', scenario: '/scenario', scenarios: BUILTIN_SCENARIOS };
  });
  router.get('/nodes', (ctx) => {
    ctx.body = { nodes: lab.states() };
  });
  router.get('/nodes/:id', (ctx) => {
    if (!lab.has(ctx.params.id)) throw new HttpError(404, 'unknown_node', `unknown node "${ctx.params.id}"`);
    ctx.body = { node: lab.node(ctx.params.id) };
  });
  router.put('/nodes/:id', async (ctx) => {
    const id = ctx.params.id;
    if (!lab.has(id)) throw new HttpError(404, 'unknown_node', `unknown node "${id}" (known: ${lab.nodeIds().join(', ')})`);
    const { state, latencyMs, periodMs } = await body(ctx, nodeStateBody);
    try {
      ctx.body = { node: await lab.setState(id, state, { latencyMs, periodMs }) };
    } catch (err) {
      if (err instanceof UnknownNodeError) throw new HttpError(404, 'unknown_node', err.message);
      throw err;
    }
  });
  router.get('/scenarios', (ctx) => {
    ctx.body = { scenarios: BUILTIN_SCENARIOS };
  });
  router.get('/scenario', (ctx) => {
    ctx.body = { scenario: player.current() };
  });
  router.post('/scenario', async (ctx) => {
    const { name, speed } = await body(ctx, scenarioBody);
    if (!isBuiltinScenario(name)) {
      throw new HttpError(404, 'unknown_scenario', `unknown scenario "${name}" (built-in: ${BUILTIN_SCENARIOS.join(', ')})`, 'name');
    }
    const loaded = await resolveScenario(name, lab.topology);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    player.play(loaded.scenario, { speed });
    ctx.status = 201;
    ctx.body = { scenario: player.current() };
  });
  router.delete('/scenario', (ctx) => {
    const stopped = player.stop();
    ctx.body = { stopped };
  });
  return router;
}

/**
 * What a browser page may not do to the lab: the control API changes what the simulated servers
 * answer, so a page on another site must not drive it. A cross-site `fetch(…, { mode: 'no-cors' })`
 * may POST `text/plain` with no preflight, so a body must be declared `application/json` (which a
 * cross-site request cannot send without a preflight this API never grants); any `Origin` but the
 * API's own is refused, and so is a `Host` that is not a loopback address or `localhost` (DNS
 * rebinding). Tools (curl, the tests, the e2e harness) send no `Origin`.
 */
function sameSiteOnly(): Koa.Middleware {
  return async function sameSiteOnly(ctx, next) {
    if (!isLoopbackHost(ctx.get('Host'))) throw new HttpError(403, 'forbidden', 'the lab control API answers only on a loopback address');
    const origin = ctx.get('Origin');
    if (origin && origin !== `http://${ctx.get('Host')}`) throw new HttpError(403, 'forbidden', `requests from ${origin} are refused`);
    await next();
  };
}

/** `127.x.y.z`, `[::1]` or `localhost`, with any port. */
function isLoopbackHost(header: string): boolean {
  const host = header.replace(/:\d*$/, '').toLowerCase();
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]' || host === 'localhost';
}

/** Starts the lab's control API on 127.0.0.1. */
export async function startControlApi(options: ControlApiOptions): Promise<ControlApi> {
  const log = options.log ?? (() => undefined);
  const app = new Koa();
  const router = routes(options.lab, options.player);
  app.use(
    errorHandler((err, ctx) => log(`lab control: ${ctx.method} ${ctx.path} failed: ${err instanceof Error ? err.message : String(err)}`)),
  );
  app.use(sameSiteOnly());
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = createServer(app.callback());
  const port = await listenTcp(server, LOCALHOST, options.port ?? LAB_CONTROL_PORT);
  return {
    address: LOCALHOST,
    port,
    url: `http://${LOCALHOST}:${port}`,
    server,
    close() {
      const closed = closeTcp(server);
      server.closeAllConnections();
      return closed;
    },
  };
}
