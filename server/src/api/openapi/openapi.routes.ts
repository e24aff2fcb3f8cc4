import Router from '@koa/router';
import { requireRole } from '../../auth/access.ts';
import { version } from '../../version.ts';
import { openApiDocument } from './document.ts';

/**
 * `GET /api/openapi.json`: the API's OpenAPI 3.1 document. Read as the rest of the API is (a
 * viewer, or anyone with `auth.anonymous: viewer`): with a login required, only signing in and the
 * liveness check are open to anyone.
 */
export function openApiRoutes(): Router {
  const router = new Router();
  let body: string | null = null;
  router.get('/api/openapi.json', requireRole('viewer'), (ctx) => {
    body ??= JSON.stringify(openApiDocument(version()));
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
  });
  return router;
}
