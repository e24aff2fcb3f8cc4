/**
 * The status pages' bodies, made once per change and shared by every request: a site's page, its
 * JSON and its feed are rebuilt only when what they say changes (the live facts of that site, its
 * history, the config), never because a round ran. Live updates go to the pages that listen.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { siteOverall, siteStatus, type HqwatchConfig, type LiveState, type SiteStatus, type SiteView } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { qrSvg } from './qr.ts';
import { indexPage, type IndexEntry } from './render-index.ts';
import { siteAtom, siteMain, sitePage, type SiteLinks } from './render-site.ts';
import { siteHistories, type HistorySource } from './site-history.ts';

/** A body as sent: its bytes, its tag, its gzip once asked for. */
export interface Body {
  bytes: Buffer;
  tag: string;
  gzip?: Buffer;
}

export function bodyOf(text: string): Body {
  const bytes = Buffer.from(text);
  return { bytes, tag: createHash('sha1').update(bytes).digest('base64url').slice(0, 22) };
}

/** The body gzipped, made once: a page is a few KB, so this is well under a millisecond. */
export function gzipped(body: Body): Buffer {
  return (body.gzip ??= gzipSync(body.bytes, { level: 6 }));
}

/** Bodies kept per site and change: its JSON, and its page and feed per origin (a few names at most). */
const MAX_BODIES_PER_SITE = 16;

interface SiteEntry {
  state: LiveState;
  config: HqwatchConfig;
  historyVersion: number;
  /** What the bodies depend on: the status, the history's version. */
  key: string;
  status: SiteStatus;
  statusJson: string;
  /** When what the status says last changed (as this server saw it). */
  changedAt: string;
  bodies: Map<string, Body>;
  /** Its `<main>`, once made. */
  main?: string;
}

/** A page listening for live updates (server-sent events). */
export interface Listener {
  send(event: string, data: string): void;
}

export interface StatusPages {
  /** Whether `siteId` has a page (configured, and in `statusPage.sites` when that is set). */
  has(siteId: string): boolean;
  page(siteId: string, origin: string): Promise<Body | null>;
  json(siteId: string, origin: string): Promise<Body | null>;
  atom(siteId: string, origin: string): Promise<Body | null>;
  index(query: string, page: number): Body;
  /** The current `<main>` of a site, then each change of it; returns the unsubscribe. */
  listen(siteId: string, listener: Listener): () => void;
  listeners(): number;
  close(): void;
}

export interface StatusPagesDeps {
  source: LiveSource;
  config: () => HqwatchConfig;
  store: HistorySource | null;
  now: () => number;
  log: Logger;
}

export function createStatusPages(deps: StatusPagesDeps): StatusPages {
  const { source, config } = deps;
  const bootMs = deps.now();
  const entries = new Map<string, SiteEntry>();
  const listening = new Map<string, Set<Listener>>();
  /** The `<main>` last sent to each site's live pages. */
  const sent = new Map<string, string>();
  let sitesOf: { state: LiveState; byId: Map<string, SiteView> } | null = null;
  let pushQueued = false;

  const histories = siteHistories({ store: deps.store, now: deps.now, log: deps.log, onChange: () => queuePush() });

  function siteView(state: LiveState, siteId: string): SiteView | undefined {
    if (sitesOf?.state !== state) sitesOf = { state, byId: new Map(state.sites.map((s) => [s.id, s])) };
    return sitesOf.byId.get(siteId);
  }

  let pageSites: { config: HqwatchConfig; ids: Set<string> } | null = null;
  function has(siteId: string): boolean {
    const c = config();
    if (pageSites?.config !== c) {
      const listed = c.statusPage.sites;
      pageSites = { config: c, ids: new Set(c.sites.map((s) => s.id).filter((id) => !listed || listed.includes(id))) };
    }
    return pageSites.ids.has(siteId);
  }

  /** The site's entry for the current state: the same one (and its bodies) while nothing it says changed. */
  function entry(siteId: string): SiteEntry | null {
    if (!has(siteId)) return null;
    const state = source.current();
    const c = config();
    const old = entries.get(siteId);
    if (old && old.state === state && old.config === c && old.historyVersion === histories.version()) return old;
    const view = siteView(state, siteId);
    if (!view) return null;
    const status = siteStatus(state, view, { words: c.statusPage.words, page: c.statusPage });
    const statusJson = JSON.stringify(status);
    const key = `${histories.version()}\u0000${statusJson}`;
    if (old && old.key === key && old.config === c) {
      old.state = state;
      old.historyVersion = histories.version();
      return old;
    }
    const changedAt = old && old.statusJson === statusJson ? old.changedAt : state.at;
    const next: SiteEntry = {
      state,
      config: c,
      historyVersion: histories.version(),
      key,
      status,
      statusJson,
      changedAt,
      bodies: new Map(),
    };
    entries.set(siteId, next);
    return next;
  }

  function links(siteId: string, origin: string): SiteLinks {
    const base = config().http.publicUrl?.replace(/\/+$/, '') ?? origin;
    const path = `/status/${encodeURIComponent(siteId)}`;
    return { page: `${base}${path}`, json: `${path}.json`, atom: `${base}${path}.atom`, events: `${path}/events` };
  }

  function mainOf(e: SiteEntry): string {
    const c = e.config.statusPage;
    return (e.main ??= siteMain(e.status, histories.of(e.status.site.id), c.words, c));
  }

  async function cached(siteId: string, kind: string, make: (e: SiteEntry) => Promise<string> | string): Promise<Body | null> {
    await histories.ready();
    histories.refresh();
    const e = entry(siteId);
    if (!e) return null;
    let body = e.bodies.get(kind);
    if (!body) {
      body = bodyOf(await make(e));
      // Another request may have made it meanwhile: keep one, so tags agree.
      body = e.bodies.get(kind) ?? body;
      // Kept per origin the server is reached by: a client naming endless Hosts (any IP address passes
      // the Host check) gets its pages made afresh rather than growing the cache.
      if (e.bodies.size < MAX_BODIES_PER_SITE) e.bodies.set(kind, body);
    }
    return body;
  }

  /** Sends each listening page its site's `<main>` when it changed. */
  function push(): void {
    pushQueued = false;
    for (const [siteId, set] of listening) {
      const e = entry(siteId);
      if (!e) continue;
      const main = mainOf(e);
      if (main === sent.get(siteId)) continue;
      sent.set(siteId, main);
      for (const l of set) l.send('status', main);
    }
  }

  function queuePush(): void {
    if (pushQueued || listening.size === 0) return;
    pushQueued = true;
    queueMicrotask(push);
  }

  const unsubscribe = source.subscribe((delta) => {
    if (delta.sites || delta.removedSites) histories.changed();
    queuePush();
  });

  return {
    has,
    page: (siteId, origin) =>
      cached(siteId, `html\u0000${origin}`, async (e) => {
        const c = e.config.statusPage;
        const l = links(siteId, origin);
        return sitePage({ status: e.status, history: histories.of(siteId), words: c.words, page: c, links: l, qrSvg: await qrSvg(l.page) });
      }),
    json: (siteId) =>
      cached(siteId, 'json', (e) => {
        const history = histories.of(siteId);
        const episodes = history?.episodes.map((ep) => ({
          from: new Date(ep.from).toISOString(),
          to: ep.to === null ? null : new Date(ep.to).toISOString(),
          services: ep.services,
        }));
        return JSON.stringify({ ...e.status, changedAt: e.changedAt, history: episodes ?? null });
      }),
    atom: (siteId, origin) =>
      cached(siteId, `atom\u0000${origin}`, (e) =>
        siteAtom({
          status: e.status,
          history: histories.of(siteId),
          words: e.config.statusPage.words,
          links: links(siteId, origin),
          bootMs,
        }),
      ),
    index(query, page) {
      const state = source.current();
      const c = config();
      const listed = c.statusPage.sites ? new Set(c.statusPage.sites) : null;
      const sites: IndexEntry[] = state.sites
        .filter((s) => !listed || listed.has(s.id))
        .map((s) => ({ id: s.id, name: s.name, overall: siteOverall(state, s) }));
      return bodyOf(indexPage({ sites, query, page, words: c.statusPage.words, config: c.statusPage }));
    },
    listen(siteId, listener) {
      const set = listening.get(siteId) ?? new Set();
      listening.set(siteId, set);
      set.add(listener);
      // The page as it is now; the others hear of it with the next change, if they have not yet.
      const e = entry(siteId);
      if (e) {
        const main = mainOf(e);
        if (!sent.has(siteId)) sent.set(siteId, main);
        listener.send('status', main);
      }
      return () => {
        set.delete(listener);
        if (set.size > 0) return;
        listening.delete(siteId);
        sent.delete(siteId);
      };
    },
    listeners: () => [...listening.values()].reduce((n, s) => n + s.size, 0),
    close() {
      unsubscribe();
      histories.close();
      listening.clear();
    },
  };
}
