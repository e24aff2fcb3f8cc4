import Router from '@koa/router';
import type { LiveSource } from '../monitor/live-source.ts';

/** `GET /api/state`: the current LiveState. */
export function stateRoutes(source: LiveSource): Router {
  const router = new Router();
  router.get('/api/state', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = source.current();
  });
  return router;
}
