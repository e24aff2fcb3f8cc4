import Router from '@koa/router';
import { requireRole } from '../auth/access.ts';
import type { LiveSource } from '../monitor/live-source.ts';

/** `GET /api/state`: the current LiveState. */
export function stateRoutes(source: LiveSource): Router {
  const router = new Router();
  router.get('/api/state', requireRole('viewer'), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = source.current();
  });
  return router;
}
