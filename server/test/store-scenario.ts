/**
 * A scripted failover and failback driven through the live path's pure functions (stepCore,
 * buildLiveState, deriveEvents) into a real store, round by round, with time as an argument.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildLiveState,
  deriveEvents,
  initialCore,
  reconcileCore,
  stepCore,
  validateConfig,
  type EngineCore,
  type HqwatchConfig,
  type LiveState,
  type RawNodeState,
  type WindowHistory,
} from '@hqwatch/shared';
import type { Store } from '../src/store/store.ts';

export const T0 = '2026-03-02T08:00:00.000Z';
export const MINUTE = 60_000;

/** HQ pair, one DVS with DRS, three sites homed differently. */
export function scenarioConfig(): HqwatchConfig {
  const result = validateConfig({
    monitor: { interval: '2s', failAfter: 2, recoverAfter: 2 },
    headquarters: {
      primary: { name: 'HQ primary', address: '10.1.0.10', probes: [{ kind: 'tcp', port: 4308 }] },
      secondary: { name: 'HQ secondary', address: '10.2.0.10', probes: [{ kind: 'tcp', port: 4308 }] },
    },
    servers: [{ id: 'dvs-boston', name: 'Boston DVS', address: '10.3.0.5', drs: true, probes: [{ kind: 'sip', port: 5441 }] }],
    drs: { enabled: true },
    sites: [
      { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
      { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'], userCount: 120 },
      { id: 'austin', name: 'Austin', users: 'hq', voicemail: 'hq', drs: ['hq'] },
    ],
    auth: { operatorTokens: ['operator-token-0123456789'] },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

export const NORMAL: Record<string, RawNodeState> = { primary: 'serving', secondary: 'reachable', 'dvs-boston': 'serving' };
export const PRIMARY_DOWN: Record<string, RawNodeState> = { primary: 'down', secondary: 'reachable', 'dvs-boston': 'serving' };
export const ON_SECONDARY: Record<string, RawNodeState> = { primary: 'down', secondary: 'serving', 'dvs-boston': 'serving' };
export const BOTH_DOWN: Record<string, RawNodeState> = { primary: 'reachable', secondary: 'reachable', 'dvs-boston': 'serving' };

export interface Driver {
  /** One monitor round `intervalMs` after the previous one, committed before it resolves. */
  round(raw: Record<string, RawNodeState>): Promise<LiveState>;
  /** Rounds until the state satisfies `done` (at most 50). */
  until(raw: Record<string, RawNodeState>, done: (s: LiveState) => boolean): Promise<LiveState>;
  /** Lets time pass with the state held; the monitor stays alive (heartbeat at the end). */
  hold(ms: number): Promise<void>;
  state(): LiveState;
  core(): EngineCore;
  now(): string;
}

/**
 * Drives `store` as the monitor would; resumes from `from` (a restart) when given. Like the
 * monitor, it reads past window durations (the ETA) from the store at start and after each window
 * closes.
 */
export function createDriver(store: Store, config: HqwatchConfig, start: string, from?: EngineCore): Driver {
  let t = Date.parse(start);
  const iso = () => new Date(t).toISOString();
  let core = from ? reconcileCore(from, config, iso()) : initialCore(config, iso());
  let seq = 0;
  // Read before the first round (the state built here only gives the sites to compare with).
  let windowHistory: WindowHistory | undefined;
  const build = () => buildLiveState({ config, core, now: iso(), seq, monitor: { healthy: true }, windowHistory });
  let state = build();
  // A fresh start has recorded nothing yet: its first round is compared with no sites, so what
  // the sites start without (unknown, n/a) is recorded too. A resumed one continues its history.
  let recorded = from ? state.sites : [];
  const { min, max } = config.monitor.expectedWindow;

  async function round(raw: Record<string, RawNodeState>): Promise<LiveState> {
    windowHistory ??= await store.windowDurations();
    t += config.monitor.interval;
    const prev = { core, sites: recorded };
    core = stepCore(config, core, { raw, blind: false }, iso());
    seq += 1;
    state = build();
    recorded = state.sites;
    const events = deriveEvents(prev, { core, sites: state.sites }, iso(), { minMs: min, maxMs: max });
    await store.append(events, core, iso());
    await store.heartbeat(iso());
    if (events.some((e) => e.type === 'window-closed')) windowHistory = await store.windowDurations();
    return state;
  }

  return {
    round,
    async until(raw, done) {
      for (let i = 0; i < 50; i++) if (done(await round(raw))) return state;
      throw new Error(`state never reached; stuck in ${state.hq.state}`);
    },
    async hold(ms) {
      t += ms;
      await store.heartbeat(iso());
    },
    state: () => state,
    core: () => core,
    now: iso,
  };
}

/** A fresh temporary data directory, removed by the returned cleanup. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ScenarioMoments {
  incidentId: string;
  failoverStart: string;
  failoverEnd: string;
  failbackStart: string;
  failbackEnd: string;
  closedAt: string;
  /** Live states captured during the scenario, for replay checks. */
  captured: LiveState[];
}

/**
 * Normal operation, a failover window of about 6 minutes, an hour on the secondary, a failback
 * window of about 25 minutes (over the expected 20), then normal again until the incident closes.
 */
export async function runFailoverScenario(driver: Driver): Promise<ScenarioMoments> {
  const captured: LiveState[] = [];
  await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
  await driver.round(NORMAL);
  const over = await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
  captured.push(over);
  await driver.hold(3 * MINUTE);
  captured.push(await driver.round(PRIMARY_DOWN));
  await driver.hold(3 * MINUTE);
  const onSecondary = await driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active');
  await driver.hold(60 * MINUTE);
  captured.push(await driver.round(ON_SECONDARY));
  const back = await driver.until(BOTH_DOWN, (s) => s.hq.state === 'failing-back');
  await driver.hold(25 * MINUTE);
  const normal = await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
  const closed = await driver.until(NORMAL, (s) => s.incident === null);
  return {
    incidentId: over.incident!.id,
    failoverStart: over.hq.window!.startedAt,
    failoverEnd: onSecondary.at,
    failbackStart: back.hq.window!.startedAt,
    failbackEnd: normal.at,
    closedAt: closed.at,
    captured,
  };
}
