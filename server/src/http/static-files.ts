import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';
import send from 'koa-send';

/** Paths the static handler leaves to the API, the socket and the metrics endpoint. */
const NOT_STATIC = /^\/(api|socket\.io|metrics)(\/|$)/;

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Serves the built client from `root`, and `index.html` for client routes (paths without a file
 * extension) so deep links like `/incidents/42` load the app. Traversal outside `root` is refused
 * by koa-send's path resolution; an encoded `..` stays part of a file name, which never exists.
 */
export function staticFiles(root: string): Middleware {
  const index = path.join(root, 'index.html');
  return async function staticFiles(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_STATIC.test(ctx.path)) return next();
    const immutable = ctx.path.startsWith('/assets/');
    const served = await send(ctx, ctx.path, { root, index: 'index.html', immutable, maxage: immutable ? 31_536_000_000 : 0 }).catch(
      (err: { status?: number }) => {
        if (err.status === 404) return null;
        throw err;
      },
    );
    if (served) return;
    if (path.extname(ctx.path) === '' && (await isFile(index))) {
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', { root });
      return;
    }
    return next();
  };
}
