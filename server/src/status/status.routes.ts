/**
 * `/status*`: the status pages for users and the helpdesk. `GET /status` (every site, `?q=` to
 * search, `?page=`), `GET /status/:siteId` (HTML), `.json`, `.atom`, `GET /status/:siteId/events`
 * (server-sent events: the page's `<main>` on each change) and the page's script. Viewers may read
 * them, or anyone with `statusPage.public: true`; nothing else opens with it.
 */
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { HqwatchConfig } from '@hqwatch/shared';
import { notModified } from '../api/state.routes.ts';
import { statusAccess } from '../auth/access.ts';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { esc, frame } from './html.ts';
import { LIVE_SCRIPT, LIVE_SCRIPT_PATH } from './live-script.ts';
import { gzipped, type Body, type StatusPages } from './status-pages.ts';

/** Browsers and proxies keep a page this long before asking again (then a 304 while it did not change). */
export const STATUS_MAX_AGE_S = 5;
/** Below this, a body goes as it is: compressing saves less than it costs. */
const COMPRESS_FROM_BYTES = 1_024;
/** Live pages at most, in all and per client address (a helpdesk behind one NAT shares its address). */
export const STREAM_LIMITS = { total: 5_000, perAddress: 200 };
/** A live page's stream ends after this and the browser reconnects: its access is checked again then. */
export const STREAM_LIFETIME_MS = 5 * 60_000;
const HEARTBEAT_MS = 25_000;
/** A stream whose reader has this much unread is dropped rather than buffered further. */
const MAX_UNREAD_BYTES = 1 << 20;

export interface StatusRouteDeps {
  pages: StatusPages;
  config: () => HqwatchConfig;
}

function send(ctx: Context, body: Body, type: string, isPublic: boolean): void {
  ctx.set('Cache-Control', `${isPublic ? 'public' : 'private'}, max-age=${STATUS_MAX_AGE_S}`);
  ctx.vary('Accept-Encoding');
  const gzip = body.bytes.length >= COMPRESS_FROM_BYTES && ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
  ctx.set('ETag', `"${body.tag}${gzip ? '-gzip' : ''}"`);
  if (notModified(ctx.get('If-None-Match'), body.tag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = type;
  if (gzip) ctx.set('Content-Encoding', 'gzip');
  ctx.body = gzip ? gzipped(body) : body.bytes;
}

/** A browser asking for a page (not a feed) without access gets a page saying to sign in. */
function signInPage(config: () => HqwatchConfig) {
  return (ctx: Context, status: 401 | 403): boolean => {
    if (/\.(json|atom)$|\/events$|^\/status\/_\//.test(ctx.path) || ctx.accepts('html', 'json') !== 'html') return false;
    const c = config().statusPage;
    const next = `/login?${new URLSearchParams({ next: ctx.path }).toString()}`;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = frame({
      title: c.words.title,
      words: c.words,
      page: c,
      mainAttrs: {},
      main: `<h1>${esc(c.words.title)}</h1><p>${esc(c.words.signIn)}</p><p><a href="${esc(next)}">${esc(c.words.signInLink)}</a></p>`,
      refreshSeconds: 300,
    });
    return true;
  };
}

export function statusRoutes({ pages, config }: StatusRouteDeps): Router {
  const router = new Router();
  const isPublic = () => config().statusPage.public;
  const access = () => statusAccess(isPublic, signInPage(config));
  const origin = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;
  const streams = { total: 0, byAddress: new Map<string, number>() };

  router.get('/status', access(), (ctx) => {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 100) : '';
    const page = typeof ctx.query.page === 'string' ? Number.parseInt(ctx.query.page, 10) : 1;
    send(ctx, pages.index(q, page), 'text/html; charset=utf-8', isPublic());
  });

  router.get('/status/_/:script', access(), (ctx) => {
    if (`/status/_/${ctx.params.script}` !== LIVE_SCRIPT_PATH) throw new HttpError(404, 'not_found', 'no such file');
    ctx.set('Cache-Control', `${isPublic() ? 'public' : 'private'}, max-age=31536000, immutable`);
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = LIVE_SCRIPT;
  });

  router.get('/status/:file', access(), async (ctx) => {
    const match = /^(.+?)(?:\.(json|atom))?$/.exec(ctx.params.file!)!;
    const [, siteId, ext] = match as unknown as [string, string, 'json' | 'atom' | undefined];
    const body =
      ext === 'json'
        ? await pages.json(siteId, origin(ctx))
        : ext === 'atom'
          ? await pages.atom(siteId, origin(ctx))
          : await pages.page(siteId, origin(ctx));
    if (!body) throw new HttpError(404, 'not_found', `no status page for site "${siteId}"`);
    const type =
      ext === 'json'
        ? 'application/json; charset=utf-8'
        : ext === 'atom'
          ? 'application/atom+xml; charset=utf-8'
          : 'text/html; charset=utf-8';
    send(ctx, body, type, isPublic());
  });

  router.get('/status/:siteId/events', access(), (ctx) => {
    const siteId = ctx.params.siteId!;
    if (!pages.has(siteId)) throw new HttpError(404, 'not_found', `no status page for site "${siteId}"`);
    const address = clientAddress(ctx.req, config().http.trustProxy);
    const mine = streams.byAddress.get(address) ?? 0;
    if (streams.total >= STREAM_LIMITS.total || mine >= STREAM_LIMITS.perAddress) {
      ctx.set('Retry-After', '30');
      throw new HttpError(429, 'rate_limited', 'too many live status pages open; the page still reloads itself');
    }
    streams.total += 1;
    streams.byAddress.set(address, mine + 1);
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream;
    let ended = false;
    let off = () => {};
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const lifetime = setTimeout(() => end(), STREAM_LIFETIME_MS);
    lifetime.unref();
    const end = () => {
      if (ended) return;
      ended = true;
      off();
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      streams.total -= 1;
      const left = (streams.byAddress.get(address) ?? 1) - 1;
      if (left > 0) streams.byAddress.set(address, left);
      else streams.byAddress.delete(address);
      stream.end();
    };
    const write = (chunk: string) => {
      if (ended) return;
      if (stream.writableLength > MAX_UNREAD_BYTES) return end();
      stream.write(chunk);
    };
    write('retry: 5000\n\n');
    off = pages.listen(siteId, {
      send: (event, data) => write(`event: ${event}\n${data.replace(/\r?\n/g, '\ndata: ').replace(/^/, 'data: ')}\n\n`),
    });
    ctx.req.once('close', end);
    stream.once('close', end);
  });

  return router;
}
