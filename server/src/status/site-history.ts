/**
 * The last 7 days of every site, read from the store in one query and kept: a thousand helpdesk
 * browsers on a site page cost no query each. Read again when the impact changed (at most every
 * {@link MIN_RELOAD_MS}) and every {@link MAX_AGE_MS} anyway, so old episodes age out.
 */
import { episodes, statusChanges, type DownInterval } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { SiteDownInterval } from '../store/store.ts';
import type { SiteHistory } from './render-site.ts';

export const HISTORY_DAYS = 7;
const DAY_MS = 86_400_000;
const MIN_RELOAD_MS = 2_000;
const MAX_AGE_MS = 60_000;

export interface HistorySource {
  downSince(fromMs: number): Promise<SiteDownInterval[]>;
}

export interface SiteHistories {
  /** Null: no store, so no history; an empty history until the first read lands. */
  of(siteId: string): SiteHistory;
  /** Bumped whenever what any site's history says changed. */
  version(): number;
  /** Resolves once a first read was tried. */
  ready(): Promise<void>;
  /** The impact changed: read again soon. */
  changed(): void;
  /** Reads again if it is time to; `onChange` hears when a read changed something. */
  refresh(): void;
  close(): void;
}

const EMPTY: NonNullable<SiteHistory> = { episodes: [], changes: [] };

export function siteHistories(deps: { store: HistorySource | null; now: () => number; log: Logger; onChange: () => void }): SiteHistories {
  const { store, now, log } = deps;
  let bySite = new Map<string, NonNullable<SiteHistory>>();
  let json = '';
  let version = 0;
  let loadedAt = -Infinity;
  let dirty = true;
  let loading: Promise<void> | null = null;
  let first: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  async function load(): Promise<void> {
    if (!store) return;
    const startedAt = now();
    dirty = false;
    try {
      const fromMs = startedAt - HISTORY_DAYS * DAY_MS;
      const rows = await store.downSince(fromMs);
      const grouped = new Map<string, DownInterval[]>();
      for (const r of rows) {
        const list = grouped.get(r.siteId) ?? [];
        list.push({ service: r.service, startedAt: r.startedAt, endedAt: r.endedAt });
        grouped.set(r.siteId, list);
      }
      const next = new Map(
        [...grouped].map(([site, list]) => [site, { episodes: episodes(list, fromMs), changes: statusChanges(list, fromMs) }]),
      );
      const nextJson = JSON.stringify([...next].sort(([a], [b]) => a.localeCompare(b)));
      loadedAt = startedAt;
      if (nextJson !== json) {
        bySite = next;
        json = nextJson;
        version += 1;
        deps.onChange();
      }
    } catch (err) {
      // The page keeps the last history it had; the live facts do not depend on it.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'status page: history not read');
      loadedAt = startedAt;
    }
  }

  function refresh(): void {
    if (!store || loading || closed) return;
    const age = now() - loadedAt;
    if (!(age >= MAX_AGE_MS || (dirty && age >= MIN_RELOAD_MS))) {
      if (dirty && timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          refresh();
        }, MIN_RELOAD_MS - age);
        timer.unref();
      }
      return;
    }
    loading = load().finally(() => (loading = null));
  }

  return {
    of: (siteId) => (store ? (bySite.get(siteId) ?? EMPTY) : null),
    version: () => version,
    ready() {
      if (!store) return Promise.resolve();
      first ??= loading ?? (loading = load().finally(() => (loading = null)));
      return first;
    },
    changed() {
      dirty = true;
      refresh();
    },
    refresh,
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
