import { encodeDelta, type LiveState } from '@hqwatch/shared';
import type { HqwatchIo } from '../hub/hub.ts';
import type { Monitor } from '../monitor/monitor.ts';
import type { Store } from '../store/store.ts';
import type { FanoutStatus, RedisFanout } from './fanout-redis.ts';
import type { Leadership, LeadershipOptions, LeadershipStatus } from './leadership.ts';
import { createLiveRelay, type LiveRelay } from './live-relay.ts';

/** How an instance takes part when several share one store (`serve` builds it from `ha` and `fanout`). */
export interface ClusterSetup {
  /** `pair`: probes and may lead (`ha`); `web`: serves dashboards only (`serve --role web`). */
  role: 'pair' | 'web';
  instance: string;
  fanout: RedisFanout | null;
  /** Builds the leadership with the app's hooks (pair only). */
  leadership?: (hooks: Pick<LeadershipOptions, 'onLead' | 'onStandDown' | 'view' | 'liveState'>) => Leadership;
}

/** Each instance's view of the cluster: `/api/health` (`cluster`), `/metrics`, `/api/cluster`. */
export interface ClusterStatus extends LeadershipStatus {
  /** Seq of the live state this instance serves. */
  seq: number;
  fanout: (FanoutStatus & { keys: { state: string; changes: string; socketio: string } }) | null;
  /** Why the dashboards of this node may be behind the leader (Redis away, no leader heard from), or null. */
  cutOff: string | null;
}

/** Seqs of a leadership start here: a term's states never share a seq with another term's, so dashboards resync at a takeover. */
const SEQ_PER_TERM = 1_000_000_000;

/**
 * A resync request for a node's own dashboards: a heartbeat whose seq no state will ever reach, so
 * every dashboard asks `state:sync` at once (`stepDelta`: a skipped seq) and none applies it.
 */
function resyncDelta(state: LiveState) {
  return { ...encodeDelta(state, state, { seq: state.seq, at: state.at }), seq: Number.MAX_SAFE_INTEGER };
}

export interface ClusterDeps {
  setup: ClusterSetup;
  monitor: Monitor;
  store: Store | null;
  /** Starts and pauses the alert sender with leadership. */
  notifier: { start(): Promise<void>; pause(): Promise<void> };
  /** The status database poller: after a takeover it compares its reads with what history holds. */
  statusDb: { rebase(): void };
  intervalMs: () => number;
}

/**
 * Ties an instance into a pair (or more): leadership decides whether its monitor records, alerts
 * and publishes; the relay serves the leader's live state on every instance (from Redis when
 * configured, else from the store's heartbeat row).
 */
export function createCluster(deps: ClusterDeps) {
  const { setup, monitor, store } = deps;
  const relay: LiveRelay = createLiveRelay(monitor);
  const fanout = setup.fanout;
  let io: HqwatchIo | null = null;
  let liveCache: { seq: number; json: string } | null = null;
  let poll: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const web: LeadershipStatus = {
    instance: setup.instance,
    role: 'web',
    term: 0,
    leader: null,
    heartbeatAt: null,
    checkedAt: null,
    problem: null,
  };
  let leaderHeardMono: number | null = null;

  const leadership =
    setup.role === 'pair' && setup.leadership
      ? setup.leadership({
          async onLead(term) {
            const stored = store ? await store.lead() : null;
            let last = relay.remote();
            const published = fanout?.status().ok ? await fanout.readState().catch(() => null) : null;
            if (published && (!last || published.seq > last.seq)) last = published;
            monitor.lead({ core: stored?.core ?? null, state: last, seq: term * SEQ_PER_TERM });
            relay.useLocal();
            deps.statusDb.rebase();
            await deps.notifier.start();
          },
          onStandDown() {
            store?.standDown();
            relay.useRemote();
            void deps.notifier.pause();
          },
          view: () => {
            const own = monitor.ownView();
            return { hq: own.hq.state, activeAddress: own.hq.activeAddress, seq: own.seq, at: own.at };
          },
          liveState: () => {
            if (relay.mode() !== 'local') return null;
            const state = monitor.current();
            if (liveCache?.seq !== state.seq) liveCache = { seq: state.seq, json: JSON.stringify(state) };
            return liveCache;
          },
        })
      : null;

  // The leader's changes go to Redis for the other nodes' snapshots (their dashboards get the deltas through the adapter).
  monitor.subscribe((delta) => {
    if (fanout && leadership?.leading()) fanout.publish(monitor.current(), delta);
  });
  fanout?.onState((state, delta) => {
    if (relay.mode() === 'remote') relay.setRemote(state, delta);
  });
  fanout?.onReconnect(() => {
    // Deltas were lost while Redis was away: this node's dashboards ask for the whole state now.
    io?.local.emit('state:changed', resyncDelta(relay.current()));
  });

  /** Followers read the leader's row: its term and heartbeat, and (without Redis) its live state. */
  async function follow(): Promise<void> {
    if (!store || stopped) return;
    try {
      const row = await store.cluster.leaderLive();
      web.checkedAt = new Date().toISOString();
      web.problem = null;
      if (row) {
        if (row.heartbeatAt !== (web.heartbeatAt === null ? null : Date.parse(web.heartbeatAt))) leaderHeardMono = performance.now();
        Object.assign(web, { term: row.term, leader: row.instance, heartbeatAt: new Date(row.heartbeatAt).toISOString() });
        if (!fanout && relay.mode() === 'remote' && row.state && row.seq !== null && row.seq > relay.current().seq)
          relay.setRemote(JSON.parse(row.state) as LiveState);
      }
    } catch (err) {
      web.problem = `cannot read the leader's state from the history database (${err instanceof Error ? err.message : String(err)})`;
    }
  }

  function schedule(): void {
    if (stopped) return;
    const every = Math.max(250, Math.min(1_000, deps.intervalMs() / 2));
    poll = setTimeout(() => void follow().finally(schedule), every);
    poll.unref();
  }

  function status(): ClusterStatus {
    const own = leadership?.status() ?? { ...web };
    if (own.role !== 'leader')
      Object.assign(own, { term: own.term || web.term, leader: web.leader ?? own.leader, heartbeatAt: web.heartbeatAt ?? own.heartbeatAt });
    const fan = fanout ? { ...fanout.status(), keys: fanout.keys } : null;
    const silentMs = leaderHeardMono === null ? null : performance.now() - leaderHeardMono;
    const cutOff =
      own.role === 'leader'
        ? null
        : fan && !fan.ok
          ? fan.problem
          : own.problem
            ? own.problem
            : silentMs !== null && silentMs > 15_000
              ? `no heartbeat from the leader for ${Math.round(silentMs / 1000)} s`
              : null;
    return { ...own, problem: own.problem ?? web.problem, seq: relay.current().seq, fanout: fan, cutOff };
  }

  return {
    relay,
    leadership,
    status,
    leading: (): boolean => leadership?.leading() ?? false,
    /** The hub broadcasts a change itself unless Redis carries the leader's to every node. */
    broadcasts: (): boolean => !fanout || (leadership?.leading() ?? false),
    attach(server: HqwatchIo): void {
      io = server;
    },
    async start(): Promise<void> {
      await follow();
      schedule();
      await leadership?.start();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(poll);
      await leadership?.stop();
      await fanout?.close();
    },
  };
}

export type Cluster = ReturnType<typeof createCluster>;
