/**
 * Incidents recorded by really playing a lab scenario through the app: the real monitor (engine,
 * impact, history events), the real notifier and outbox, a real SQLite store and the real HTTP
 * routes, on a wall clock moved by hand one monitor interval per round (a scenario's 20 minutes take
 * a second or two). The probes are scripted from the scenario's node states, as the lab's servers
 * would answer them: `serving` answers, `stopped` refuses its services while the host answers,
 * `down` answers nothing. Nothing is probed on the network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig, type HqwatchConfig, type IncidentList, type ProbeConfig, type WitnessProbeConfig } from '@hqwatch/shared';
import { createApp, type HqwatchApp } from '../../src/app.ts';
import { demoTopology, resolveScenario, type LabSiteSpec, type LabTopology, type Scenario } from '../../src/lab/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { ProbeOutcome } from '../../src/probes/index.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { eventually, fakeSelfHealth } from './app.ts';
import { operatorApi } from './notify-app.ts';
import { startHttpReceiver, type HttpReceiver } from './receivers.ts';

export const OPERATOR_TOKEN = 'operator-token-for-postmortems';
const INTERVAL_MS = 10_000;
/** The monitor runs this long on the scenario's first states before its clock starts. */
const PRE_ROLL_MS = 60_000;

export interface RecordedScenario {
  app: HqwatchApp;
  store: Store;
  config: HqwatchConfig;
  url: string;
  /** The incidents the play recorded, oldest first. */
  incidents(): Promise<IncidentList['incidents']>;
  api(pathname: string, init?: RequestInit & { operator?: boolean }): Promise<Response>;
  close(): Promise<void>;
}

export interface RecordOptions {
  /** Sites instead of the demo's twelve (the 500-site incident). */
  sites?: LabSiteSpec[];
  /** The wall clock at the scenario's time 0. */
  start?: string;
  /** A maintenance window over the whole play, with this reason: the incident is a planned drill. */
  planned?: string;
  /** Runs between rounds (`atMs` of scenario time), e.g. to add a note while a window is open. */
  during?: (atMs: number, t: RecordedScenario) => Promise<void>;
}

type NodeState = 'serving' | 'stopped' | 'down';

function configFor(topology: LabTopology, hook: string, sites: readonly LabSiteSpec[]): HqwatchConfig {
  const node = (id: string) => topology.nodes.find((n) => n.id === id)!;
  const probes = [
    { kind: 'tcp', port: 4308 },
    { kind: 'tcp', port: 135, role: 'host' },
  ];
  const hq = (id: string) => ({ name: node(id).name, address: node(id).address, probes });
  const checked = validateConfig({
    monitor: { interval: `${INTERVAL_MS}ms`, timeout: '2s', failAfter: 2, recoverAfter: 2, expectedWindow: { min: '5m', max: '20m' } },
    headquarters: { primary: hq('primary'), secondary: hq('secondary') },
    servers: topology.nodes
      .filter((n) => n.role === 'distributed')
      .map((n) => ({ id: n.id, name: n.name, address: n.address, drs: n.drs ?? false, probes })),
    drs: { enabled: true },
    sites: sites.map((s) => ({ ...s })),
    auth: { anonymous: 'viewer', operatorTokens: [OPERATOR_TOKEN] },
    notify: {
      channels: [{ id: 'on-call', kind: 'webhook', url: hook, secret: 'postmortem-webhook-secret-0123456789' }],
      routes: [{ channels: ['on-call'] }],
    },
  });
  if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return checked.config;
}

/** What the lab's server in `state` answers to one probe. */
function answer(state: NodeState, probe: ProbeConfig | WitnessProbeConfig, address: string | null): ProbeOutcome {
  const base = { kind: probe.kind, target: address ?? 'unknown', role: probe.role };
  if (state === 'serving' || (state === 'stopped' && probe.role === 'host')) return { ...base, ok: true, latencyMs: 1 };
  if (state === 'stopped') return { ...base, ok: false, latencyMs: null, error: 'connection refused', hostAnswered: true };
  return { ...base, ok: false, latencyMs: null, error: 'timeout after 2000 ms' };
}

function statesAt(scenario: Scenario, topology: LabTopology, atMs: number): Map<string, NodeState> {
  const states = new Map(topology.nodes.map((n) => [n.address, (n.initial ?? 'serving') as NodeState]));
  for (const step of scenario.steps) {
    if (step.atMs > atMs) continue;
    if (step.state !== 'serving' && step.state !== 'stopped' && step.state !== 'down')
      throw new Error(`state ${step.state} is not scripted here`);
    states.set(topology.nodes.find((n) => n.id === step.node)!.address, step.state);
  }
  return states;
}

/** Plays `name` (a built-in scenario) to its end on loopback octet `octet` (never probed), recording everything. */
export async function recordScenario(name: string, octet: number, options: RecordOptions = {}): Promise<RecordedScenario> {
  const topology = demoTopology(octet);
  const resolved = await resolveScenario(name, topology);
  if (!resolved.ok) throw new Error(resolved.errors.map((e) => e.message).join('\n'));
  const scenario = resolved.scenario;
  const receiver: HttpReceiver = await startHttpReceiver();
  const config = configFor(topology, `${receiver.url}/hook`, options.sites ?? topology.sites);
  const start = Date.parse(options.start ?? '2026-03-02T08:00:00.000Z');
  let wall = start - PRE_ROLL_MS;
  let states = statesAt(scenario, topology, 0);
  const runProbe = async (probe: ProbeConfig | WitnessProbeConfig, address: string | null) =>
    answer(states.get(address ?? '') ?? 'serving', probe, address);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-postmortem-'));
  const store = await openStore({ kind: 'sqlite', dataDir, checkpointIntervalMs: 60_000, retentionDays: 90 });
  const clock = { now: () => wall, monotonic: () => performance.now() };
  const app = createApp({ config, log: createLogger('silent'), clock, runProbe, store, selfHealth: fakeSelfHealth() });
  // Listening without the scheduler: the rounds are run here, one interval of the wall clock apart.
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  if (options.planned)
    await store.maintenance.add({
      id: 'drill',
      fromMs: start - PRE_ROLL_MS,
      toMs: start + 24 * 3_600_000,
      reason: options.planned,
      createdAtMs: start - PRE_ROLL_MS,
    });
  await app.notifier.start();
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const t: RecordedScenario = {
    app,
    store,
    config,
    url,
    async incidents() {
      const list = (await (await fetch(`${url}/api/incidents?limit=500`)).json()) as IncidentList;
      return [...list.incidents].reverse();
    },
    api: operatorApi(url, OPERATOR_TOKEN),
    async close() {
      await app.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // Past the last step by a few minutes at least, so that the incident has closed.
    const end = Math.max(scenario.durationMs, Math.max(...scenario.steps.map((s) => s.atMs)) + 3 * 60_000);
    for (let atMs = -PRE_ROLL_MS; atMs <= end; atMs += INTERVAL_MS) {
      wall = start + atMs;
      states = statesAt(scenario, topology, atMs);
      await app.monitor.runRound();
      await options.during?.(atMs, t);
    }
    await store.flush();
    // Every alert delivered (or given up on) before anything reads what became of them.
    await eventually(async () => (await store.notify.counts()).every((c) => c.pending === 0), 10_000, 'the outbox to drain');
  } catch (err) {
    await t.close();
    throw err;
  }
  return t;
}
