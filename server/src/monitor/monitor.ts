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
import type { LiveSource } from './live-source.ts';
import type { ProbeOutcome, runProbe as RunProbe } from '../probes/index.ts';
import { runBounded } from './bounded.ts';
import type { Clock } from './clock.ts';
import { createScheduler } from './scheduler.ts';
import { probePlan } from './targets.ts';
import { createWitness } from './witness.ts';

/** What the monitor needs from the history store; the store never throws into the monitor. */
export interface MonitorStore {
  append(events: HistoryEvent[], core: EngineCore, at: string): void;
  heartbeat(at: string): void;
  recordProbes(nodeId: string, probes: ProbeView[], at: string): void;
  health(): { ok: boolean; error?: string };
  /** Durations of past closed failovers and failbacks, for the ETA of an open window. */
  windowDurations?(): WindowHistory;
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
  const witness = createWitness();
  const stats = { rounds: 0, lateRounds: 0, lastRoundAt: null as string | null, lastRoundMs: null as number | null };
  const listeners = new Set<(delta: StateDelta) => void>();
  const historyListeners = new Set<(events: HistoryEvent[]) => void>();
  // Past windows for the ETA: read from the store at start and after each window closes; without a
  // store, the windows this run closed.
  let windowHistory: WindowHistory = store?.windowDurations?.() ?? { failover: [], failback: [] };

  function monitorView(): { healthy: boolean; reason?: string } {
    const storeHealth = store?.health();
    if (storeHealth && !storeHealth.ok)
      return { healthy: false, reason: `History store failing: ${storeHealth.error ?? 'unknown error'}; retrying` };
    if (deps.networkUp?.() === false) return { healthy: false, reason: "The monitor's own network interface is down" };
    if (witness.blind()) return { healthy: false, reason: 'Witness probes are failing: the monitor cannot see the network' };
    return { healthy: true };
  }

  let state = buildLiveState({ config, core, now: iso(), seq, probes, monitor: monitorView(), windowHistory, statusDb: deps.statusDb?.() });

  function learnClosedWindows(events: HistoryEvent[]): void {
    const closed = events.filter((e) => e.type === 'window-closed');
    if (closed.length === 0) return;
    if (store?.windowDurations) {
      windowHistory = store.windowDurations();
      return;
    }
    for (const e of closed)
      if (e.kind !== 'outage') windowHistory = { ...windowHistory, [e.kind]: [e.durationMs, ...windowHistory[e.kind]] };
  }

  async function runRound(info: RoundInfo = {}): Promise<LiveState> {
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
    const prevState = state;
    core = stepCore(config, core, { raw, blind }, now);
    probes = nextProbes;
    seq += 1;
    state = buildLiveState({ config, core, now, seq, probes, monitor: monitorView(), windowHistory, statusDb: deps.statusDb?.() });

    if (store || historyListeners.size > 0) {
      const { min, max } = config.monitor.expectedWindow;
      // On a fresh start nothing is stored yet: compare the first round with no sites at all, so
      // statuses that never change (e.g. DRS n/a) are recorded too.
      const before = stats.rounds === 0 && !deps.resumeFrom ? [] : prevState.sites;
      const events = deriveEvents({ core: prevCore, sites: before }, { core, sites: state.sites }, now, { minMs: min, maxMs: max });
      if (store) {
        store.append(events, core, now);
        for (const node of plan) store.recordProbes(node.id, nextProbes[node.id] ?? [], now);
        store.heartbeat(now);
        // The append may have just failed or recovered: the monitor block must say so in this round.
        const monitor = { ...monitorView(), intervalMs: interval };
        if (JSON.stringify(monitor) !== JSON.stringify(state.monitor)) state = { ...state, monitor };
      }
      learnClosedWindows(events);
      for (const event of events) {
        if (isStandbyLost(event))
          log.warn({ standby: event.standbyId, hq: event.hqState }, 'standby not ready: a failover could not complete now');
      }
      if (events.length > 0) {
        for (const listener of historyListeners) {
          try {
            listener(events);
          } catch (err) {
            log.error({ err }, 'history listener failed');
          }
        }
      }
    }

    if (prevCore.hq.state !== core.hq.state) {
      log.info(
        {
          from: prevCore.hq.state,
          to: core.hq.state,
          window: state.hq.window?.kind ?? null,
          cause: state.hq.cause,
          incident: state.incident?.id ?? null,
        },
        'HQ state changed',
      );
    }
    stats.rounds += 1;
    if (late) stats.lateRounds += 1;
    stats.lastRoundAt = now;
    stats.lastRoundMs = Math.round(clock.monotonic() - started);
    const delta = diffState(prevState, state);
    for (const listener of listeners) listener(delta);
    return state;
  }

  const scheduler = createScheduler({
    intervalMs: config.monitor.interval,
    now: () => clock.monotonic(),
    onRound: async (round) => {
      if (round.late) log.warn({ round: round.index, lateByMs: Math.round(round.startedAt - round.plannedAt) }, 'round started late');
      try {
        await runRound({ late: round.late });
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
    stop: () => scheduler.stop(),
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
  };
}
