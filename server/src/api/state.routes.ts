import Router from '@koa/router';
import { requireRole } from '../auth/access.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { createStateBodies, type Coding } from './state-bodies.ts';

/** Bodies smaller than this go as they are: compressing them saves less than it costs. */
const COMPRESS_FROM_BYTES = 1_024;

/** Whether `If-None-Match` names this state (in any of its codings). */
export function notModified(ifNoneMatch: string, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const bare = t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return bare === '*' || bare === tag || bare.startsWith(`${tag}-`);
  });
}

/**
 * `GET /api/state`: the current LiveState, the full REST shape (reasons in words beside their
 * codes). One body per state, compressed with brotli or gzip as `Accept-Encoding` allows, with an
 * `ETag` so a client polling it gets `304 Not Modified` until the state changes.
 */
export function stateRoutes(source: LiveSource): Router {
  const router = new Router();
  const bodies = createStateBodies(source);
  router.get('/api/state', requireRole('viewer'), async (ctx) => {
    const body = bodies.current();
    const accepted = body.json.length < COMPRESS_FROM_BYTES ? 'identity' : ctx.acceptsEncodings('br', 'gzip', 'identity');
    const coding: Coding = accepted === 'br' || accepted === 'gzip' ? accepted : 'identity';
    // Revalidated each time, and kept by the browser only: what it shows depends on who asks.
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.vary('Accept-Encoding');
    ctx.set('ETag', `"${coding === 'identity' ? body.tag : `${body.tag}-${coding}`}"`);
    if (notModified(ctx.get('If-None-Match'), body.tag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json; charset=utf-8';
    if (coding !== 'identity') ctx.set('Content-Encoding', coding);
    ctx.body = await bodies.body(body, coding);
  });
  return router;
}
