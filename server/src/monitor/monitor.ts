import {
  buildLiveState,
  isStandbyLost,
  deriveEvents,
  diffState,
  initialCore,
  rawStateOf,
  reconcileCore,
  stepCore,
  type EngineCore,
  type HistoryEvent,
  type HqwatchConfig,
  type LiveState,
  type ProbeView,
  type RawNodeState,
  type StateDelta,
  type StatusDbSnapshot,
  type WindowHistory,
} from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { RoundAlerts } from '../store/outbox.repository.ts';
import type { LiveSource } from './live-source.ts';
import type { ProbeOutcome, runProbe as RunProbe } from '../probes/index.ts';
import { runBounded } from './bounded.ts';
import type { Clock } from './clock.ts';
import { createScheduler } from './scheduler.ts';
import { probePlan } from './targets.ts';
import { createWitness } from './witness.ts';

/** What the monitor needs from the history store; the store never throws (or rejects) into the monitor. */
export interface MonitorStore {
  /** Resolves once the round's events are committed, or safely queued behind a failure. */
  append(events: HistoryEvent[], core: EngineCore, at: string, alerts?: RoundAlerts | null): Promise<void>;
  heartbeat(at: string): Promise<void>;
  recordProbes(nodeId: string, probes: ProbeView[], at: string): void;
  /** The write path's state, known without asking the database. */
  status(): { ok: boolean; error?: string };
  /** Durations of past closed failovers and failbacks, for the ETA of an open window. */
  windowDurations?(): Promise<WindowHistory>;
}

/** Whether `promise` settled within `ms`; it goes on either way. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The alert model's seam: each round's events and state become alerts, committed with the events
 * (the outbox in the same transaction), and the sender is woken once they are.
 */
export interface MonitorAlerts {
  plan(events: readonly HistoryEvent[], state: LiveState): RoundAlerts | null;
  committed(): void;
}

export interface MonitorDeps {
  config: HqwatchConfig;
  runProbe: typeof RunProbe;
  clock: Clock;
  log: Logger;
  store?: MonitorStore;
  /** Core to resume from after a restart (the same incident and window continue). */
  resumeFrom?: EngineCore;
  /** Whether the host's own default interface is up (null: unknown). */
  networkUp?: () => boolean | null;
  /** The status database's last snapshot, read (never awaited) as each round builds its state. */
  statusDb?: () => StatusDbSnapshot | null;
  /**
   * Durations of past windows for the ETA, read before the monitor starts (`store.windowDurations()`);
   * without them they are read from the store in the background.
   */
  windowHistory?: WindowHistory;
  alerts?: MonitorAlerts;
  /**
   * Whether this instance leads (several instances on one store, `cluster/`): only the leader
   * records, alerts and publishes; a standby probes and steps its own engine (its own vantage
   * point, kept warm). Always true without leadership.
   */
  leading?: () => boolean;
}

export interface RoundInfo {
  late?: boolean;
}

export interface Monitor extends LiveSource {
  start(): void;
  stop(): Promise<void>;
  /** Runs one round now (tests drive rounds by hand with this). */
  runRound(info?: RoundInfo): Promise<LiveState>;
  /**
   * Every round's history events, as the store records them (window and incident changes, node
   * changes, `standby-changed`, impact changes), after they are committed and before the state is
   * broadcast. For alerting: `isStandbyLost` picks the standby warning. Returns the unsubscribe.
   */
  onHistory(listener: (events: HistoryEvent[]) => void): () => void;
  /** Replaces the config; trackers of nodes that still exist keep their state. */
  updateConfig(config: HqwatchConfig): void;
  config(): HqwatchConfig;
  stats(): { rounds: number; lateRounds: number; lastRoundAt: string | null; lastRoundMs: number | null };
  /**
   * This instance takes over as leader: the engine goes on from `core` (the newest the store holds,
   * so the same incident and window continue) and publication from `state` (what dashboards last
   * saw from the previous leader, if known) with seq numbers from `seq` on.
   */
  lead(from: { core: EngineCore | null; state: LiveState | null; seq: number }): void;
  /** This instance's own view, published or not (a standby's own vantage point). */
  ownView(): LiveState;
}

function rawOf(outcomes: ProbeOutcome[], late: boolean): RawNodeState | null {
  // A stalled probe timed out because the event loop was blocked, not because the node failed;
  // in a late round only successes are evidence.
  if (outcomes.some((o) => o.stalled)) return null;
  const raw = rawStateOf(outcomes);
  return late && raw !== 'serving' ? null : raw;
}

function probeView({ kind, target, ok, latencyMs, error }: ProbeOutcome): ProbeView {
  return error === undefined ? { kind, target, ok, latencyMs } : { kind, target, ok, latencyMs, error };
}

/** Logs rounds published ahead of their commit: the first one, then at most once a minute. */
function slowWriteLog(log: Logger, clock: Clock) {
  let count = 0;
  let lastLogged = -Infinity;
  return {
    observe(waitedMs: number): void {
      count += 1;
      if (clock.monotonic() - lastLogged < 60_000) return;
      lastLogged = clock.monotonic();
      log.warn(
        { waitedMs: Math.round(waitedMs), rounds: count },
        'history write slower than the grace period; broadcasting ahead of its commit',
      );
    },
  };
}

/**
 * The live path: probes every node each interval, debounces, steps the HQ state machine, computes
 * the impact, commits the resulting history events and only then tells subscribers what changed.
 */
export function createMonitor(deps: MonitorDeps): Monitor {
  const { runProbe, clock, log, store } = deps;
  let config = deps.config;
  const iso = () => new Date(clock.now()).toISOString();
  let core = deps.resumeFrom ? reconcileCore(deps.resumeFrom, config, iso()) : initialCore(config, iso());
  let probes: Record<string, ProbeView[]> = {};
  let seq = 0;
  /** Whether the engine continues a stored core (a restart, a takeover): the first round then records only changes. */
  let resumed = deps.resumeFrom !== undefined;
  const witness = createWitness();
  const stats = { rounds: 0, lateRounds: 0, lastRoundAt: null as string | null, lastRoundMs: null as number | null };
  const listeners = new Set<(delta: StateDelta) => void>();
  const slowWrites = slowWriteLog(log, clock);
  const historyListeners = new Set<(events: HistoryEvent[]) => void>();
  // Past windows for the ETA: read from the store at start and after each window closes (once its
  // events are committed); without a store, the windows this run closed.
  let windowHistory: WindowHistory = deps.windowHistory ?? { failover: [], failback: [] };
  /** Bumped by each window this run closes, so an older read of the durations never overwrites a newer one. */
  let windowsLearned = 0;
  if (!deps.windowHistory && store?.windowDurations) {
    const reading = store.windowDurations();
    void reading.then((history) => {
      if (windowsLearned === 0) windowHistory = history;
    });
  }

  function monitorView(): { healthy: boolean; reason?: string } {
    const storeHealth = store?.status();
    if (storeHealth && !storeHealth.ok)
      return { healthy: false, reason: `History store failing: ${storeHealth.error ?? 'unknown error'}; retrying` };
    if (deps.networkUp?.() === false) return { healthy: false, reason: "The monitor's own network interface is down" };
    if (witness.blind()) return { healthy: false, reason: 'Witness probes are failing: the monitor cannot see the network' };
    return { healthy: true };
  }

  /** What subscribers and `/api/state` see: a round's state once its events are committed. */
  let state = buildLiveState({ config, core, now: iso(), seq, probes, monitor: monitorView(), windowHistory, statusDb: deps.statusDb?.() });
  /** The newest round's state, published or not: the next round's events are derived against it. */
  let computed = state;
  /** Publications happen one after the other, in round order. */
  let published: Promise<void> = Promise.resolve();

  /**
   * A window closed: its duration counts for the ETA of the next one at once, and the store's list
   * (50 of each kind, old-rules kinds left out) replaces it once the window's events are committed.
   * A store that is failing keeps what this run learned.
   */
  function learnClosedWindows(events: HistoryEvent[], committed: Promise<void> | null): void {
    const closed = events.filter((e) => e.type === 'window-closed');
    if (closed.length === 0) return;
    for (const e of closed)
      if (e.kind !== 'outage') windowHistory = { ...windowHistory, [e.kind]: [e.durationMs, ...windowHistory[e.kind]] };
    const learned = ++windowsLearned;
    if (!committed || !store?.windowDurations) return;
    const read = store.windowDurations.bind(store);
    void committed.then(async () => {
      if (!store.status().ok) return;
      const history = await read();
      if (learned === windowsLearned) windowHistory = history;
    });
  }

  function tellHistory(events: HistoryEvent[]): void {
    if (events.length === 0) return;
    for (const listener of historyListeners) {
      try {
        listener(events);
      } catch (err) {
        log.error({ err }, 'history listener failed');
      }
    }
  }

  /**
   * Probes, steps the engine and queues the round's events; returns at once with the publication,
   * which waits for the events' commit. A slow database therefore never delays the next round's
   * probes; the broadcast waits for the commit, but never longer than a grace period past the end
   * of its round (then the batch stays queued, in order, and health says the database is slow). A
   * failing database answers at once: its batches are queued for a retry.
   */
  async function playRound(info: RoundInfo): Promise<{ published: Promise<void> }> {
    const started = clock.monotonic();
    const late = info.late === true;
    const { interval, timeout, concurrency, witness: witnessProbes } = config.monitor;
    const plan = probePlan(config);
    const tasks = plan.flatMap((node) => node.probes.map((probe) => () => runProbe(probe, node.address, timeout)));
    const witnessTasks = witnessProbes.map((probe) => () => runProbe(probe, null, timeout));
    const outcomes = await runBounded([...tasks, ...witnessTasks], concurrency);
    const now = iso();

    const raw: Record<string, RawNodeState | null> = {};
    const nextProbes: Record<string, ProbeView[]> = {};
    let offset = 0;
    for (const node of plan) {
      const mine = outcomes.slice(offset, offset + node.probes.length);
      offset += node.probes.length;
      raw[node.id] = rawOf(mine, late);
      nextProbes[node.id] = mine.map(probeView);
    }
    witness.observe(outcomes.slice(offset), late, config.monitor.failAfter, config.monitor.recoverAfter, now);
    const blind = witness.blind() || deps.networkUp?.() === false;

    const prevCore = core;
    const prevComputed = computed;
    core = stepCore(config, core, { raw, blind }, now);
    probes = nextProbes;
    seq += 1;
    let next = buildLiveState({
      config,
      core,
      now,
      seq,
      probes,
      monitor: monitorView(),
      windowHistory,
      statusDb: deps.statusDb?.(),
      previous: computed,
    });
    computed = next;

    let committed: Promise<void> | null = null;
    let events: HistoryEvent[] = [];
    const leading = deps.leading?.() ?? true;
    if (!leading) {
      // A standby: its own view stays warm, nothing is recorded, alerted or published.
      stats.rounds += 1;
      stats.lastRoundAt = now;
      stats.lastRoundMs = Math.round(clock.monotonic() - started);
      return { published };
    }
    if (store || historyListeners.size > 0) {
      const { min, max } = config.monitor.expectedWindow;
      // On a fresh start nothing is stored yet: compare the first round with no sites at all, so
      // statuses that never change (e.g. DRS n/a) are recorded too.
      const before = stats.rounds === 0 && !resumed ? [] : prevComputed.sites;
      events = deriveEvents({ core: prevCore, sites: before }, { core, sites: next.sites }, now, { minMs: min, maxMs: max });
      if (store) {
        const alerts = deps.alerts?.plan(events, next) ?? null;
        committed = store.append(events, core, now, alerts);
        if (alerts && alerts.deliveries.length > 0) void committed.then(() => deps.alerts?.committed());
        for (const node of plan) store.recordProbes(node.id, nextProbes[node.id] ?? [], now);
        void store.heartbeat(now);
      }
      learnClosedWindows(events, committed);
      for (const event of events) {
        if (isStandbyLost(event))
          log.warn({ standby: event.standbyId, hq: event.hqState }, 'standby not ready: a failover could not complete now');
      }
    }

    if (prevCore.hq.state !== core.hq.state) {
      log.info(
        {
          from: prevCore.hq.state,
          to: core.hq.state,
          window: next.hq.window?.kind ?? null,
          cause: next.hq.cause,
          incident: next.incident?.id ?? null,
        },
        'HQ state changed',
      );
    }
    stats.rounds += 1;
    if (late) stats.lateRounds += 1;
    stats.lastRoundAt = now;
    stats.lastRoundMs = Math.round(clock.monotonic() - started);

    const graceEnds = clock.monotonic() + Math.max(interval, 500);
    published = published.then(async () => {
      if (committed && store) {
        if (!(await settlesWithin(committed, Math.max(0, graceEnds - clock.monotonic())))) slowWrites.observe(graceEnds - started);
        // The append may have just failed or recovered: the monitor block must say so in this round.
        const monitor = { ...monitorView(), intervalMs: interval };
        if (JSON.stringify(monitor) !== JSON.stringify(next.monitor)) next = { ...next, monitor };
      }
      tellHistory(events);
      const delta = diffState(state, next);
      state = next;
      for (const listener of listeners) listener(delta);
    });
    // Wrapped: an async function returning the promise itself would wait for it.
    return { published };
  }

  /** One round, resolved once its state is published (what tests that drive rounds by hand wait for). */
  async function runRound(info: RoundInfo = {}): Promise<LiveState> {
    await (
      await playRound(info)
    ).published;
    return state;
  }

  const scheduler = createScheduler({
    intervalMs: config.monitor.interval,
    now: () => clock.monotonic(),
    onRound: async (round) => {
      if (round.late) log.warn({ round: round.index, lateByMs: Math.round(round.startedAt - round.plannedAt) }, 'round started late');
      try {
        // The round ends with its probes and evaluation; its publication follows the commit.
        await playRound({ late: round.late });
      } catch (err) {
        log.error({ err }, 'monitor round failed');
      }
    },
  });

  return {
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onHistory(listener) {
      historyListeners.add(listener);
      return () => historyListeners.delete(listener);
    },
    start: () => scheduler.start(),
    async stop() {
      await scheduler.stop();
      await published;
    },
    runRound,
    updateConfig(next) {
      const intervalChanged = next.monitor.interval !== config.monitor.interval;
      config = next;
      core = reconcileCore(core, config, iso());
      if (intervalChanged) scheduler.setInterval(config.monitor.interval);
      log.info({ nodes: probePlan(config).length, sites: config.sites.length }, 'config applied');
    },
    config: () => config,
    stats: () => ({ ...stats }),
    ownView: () => computed,
    lead(from) {
      const now = iso();
      if (from.core) {
        core = reconcileCore(from.core, config, now);
        resumed = true;
      }
      seq = Math.max(seq, from.seq);
      // The events of the next round are derived against the stored core, as the store holds it.
      computed = buildLiveState({ config, core, now, seq, probes, monitor: monitorView(), windowHistory, statusDb: deps.statusDb?.() });
      // Dashboards hold the previous leader's last state: the first delta is taken against it.
      state = from.state ? { ...from.state, seq } : computed;
      if (store?.windowDurations) void store.windowDurations().then((history) => (windowHistory = history));
    },
  };
}
