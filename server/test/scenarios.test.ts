import { FLAP_HISTORY, type HqState, type LiveState, type ServiceKey, type WindowKind } from '@hqwatch/shared';
import { describe, expect, it, type ExpectStatic } from 'vitest';
import {
  BUILTIN_SCENARIOS,
  DEMO_SCENARIO,
  demoExpectedWindow,
  demoTopology,
  loadScenarioFile,
  ScenarioRunner,
  smallTopology,
  type LabMonitorSettings,
  type LabTopology,
  type NodeState,
  type Scenario,
  type ScenarioExpectation,
  type StateOptions,
} from '../src/lab/index.ts';
import { SCENARIO_DIR, scenarioFiles } from '../src/lab/scenarios.ts';
import { eventually } from './support/app.ts';
import { startLabApp, type LabApp } from './support/lab-app.ts';

/*
 * Every scenario file of the library, played on its own lab (second octet 80 + its index) against
 * the real monitor, checked entry by entry against its `expect` list: each entry must show before
 * the next step is applied, and must still hold right before it. A new file is picked up as is.
 *
 * Timing. A step shows on the monitor within one debounce: the next round starts within an
 * interval, then failAfter (or recoverAfter) rounds must agree, the last one ending within the
 * probe timeout:
 *   debounce = (max(failAfter, recoverAfter) + 1) × interval + timeout = 3 × 250 + 200 = 950 ms.
 * Every stretch between two moments that matter (a step that changes a node, an `expect` entry)
 * must last at least STRETCH_MARGIN debounces of real time, so that a loaded machine has about
 * three debounces of slack to show and observe each entry:
 *   speed = min(MAX_SPEED, shortest stretch / (4 × 950 ms)).
 * The shortest stretches of the library are 2 scenario minutes (dead-pair, primary-blip: speed 31),
 * 3 minutes (split-brain, dvs-lost-during-failover, witness-lost, primary-recovers: speed 47) and
 * 5 minutes (failover-overrun, 21m → 26m: speed 78).
 * A flapping node is sampled twice per flap period (periodMs is not scaled by speed), so each round
 * pair sees a change and the Nagios percentage (~50 %) clears the 30 % threshold; a stretch where a
 * node flaps, or just stopped flapping, must then span a whole flap history (21 rounds) for the
 * flag to rise or fall: flapping-primary (period 1000 ms → 500 ms interval, 10 minutes of flapping)
 * plays at 600 000 / (21 × 500) = 57, i.e. 10.5 s (21 rounds) of flapping and 13.7 s (27 rounds)
 * for the flag to fall before the last entry.
 * Overruns follow the monitor's expected window scaled by the same speed (demoExpectedWindow).
 * The longest play is about 26 s; the scenarios run concurrently, each on its own lab and monitor.
 */
const BASE_INTERVAL_MS = 250;
const FAIL_AFTER = 2;
const RECOVER_AFTER = 2;
const STRETCH_MARGIN = 4;
const MAX_SPEED = 120;
/** Slack for waits whose end is not set by the scenario clock (start-up, the last entry). */
const GRACE_MS = 10_000;
const FIRST_OCTET = 80;

interface Plan {
  speed: number;
  settings: LabMonitorSettings;
}

/** Each node's state (with its options) once the steps up to `atMs` are applied, from the topology's initial ones. */
function statesAt(scenario: Scenario, topology: LabTopology, atMs: number): Map<string, string> {
  const states = new Map(topology.nodes.map((n): [string, string] => [n.id, `${n.initial ?? 'serving'}::`]));
  for (const s of scenario.steps) if (s.atMs <= atMs) states.set(s.node, `${s.state}:${s.latencyMs ?? ''}:${s.periodMs ?? ''}`);
  return states;
}

const anyFlapping = (states: Map<string, string>) => [...states.values()].some((s) => s.startsWith('flapping:'));

function planFor(scenario: Scenario, topology: LabTopology): Plan {
  const periods = scenario.steps.filter((s) => s.state === 'flapping').map((s) => s.periodMs ?? 1_000);
  const intervalMs = periods.length > 0 ? Math.min(...periods) / 2 : BASE_INTERVAL_MS;
  const timeoutMs = Math.round(intervalMs * 0.8);
  const debounceMs = (Math.max(FAIL_AFTER, RECOVER_AFTER) + 1) * intervalMs + timeoutMs;

  // Moments that matter: steps that change a node, and entries. Time 0 only counts when a step
  // changes a node then: the initial states are settled before the clock starts.
  const changed = (at: number) => {
    const was = statesAt(scenario, topology, at - 1);
    return [...statesAt(scenario, topology, at)].some(([id, state]) => was.get(id) !== state);
  };
  const marks = [...new Set([...scenario.steps.map((s) => s.atMs), ...scenario.expect.map((e) => e.afterMs)])]
    .filter((at) => at > 0 || changed(0))
    .sort((a, b) => a - b);
  let speed = MAX_SPEED;
  for (const [i, from] of marks.slice(0, -1).entries()) {
    const flaps = anyFlapping(statesAt(scenario, topology, from - 1)) || anyFlapping(statesAt(scenario, topology, from));
    const needMs = Math.max(STRETCH_MARGIN * debounceMs, flaps ? FLAP_HISTORY * intervalMs : 0);
    speed = Math.min(speed, (marks[i + 1] - from) / needMs);
  }
  speed = Math.floor(speed);
  return {
    speed,
    settings: { intervalMs, timeoutMs, failAfter: FAIL_AFTER, recoverAfter: RECOVER_AFTER, expectedWindow: demoExpectedWindow(speed) },
  };
}

/** What was seen besides the state: the kind recorded for the last window that closed. */
interface Seen {
  state: LiveState;
  closedWindow: WindowKind | null;
}

/** What in `seen` differs from `entry`, in words; empty when the entry holds. */
function mismatches(x: LabApp, entry: ScenarioExpectation, seen: Seen, options: { overrun: boolean } = { overrun: true }): string[] {
  const { state } = seen;
  const out: string[] = [];
  const differs = (what: string, want: unknown, got: unknown) => {
    if (want !== got) out.push(`${what}: want ${String(want)}, got ${String(got)}`);
  };
  if (entry.hq !== undefined) differs('hq', entry.hq, state.hq.state);
  if (entry.window !== undefined) differs('window', entry.window, state.hq.window?.kind ?? null);
  if (entry.overrun !== undefined && options.overrun) differs('overrun', entry.overrun, state.hq.window?.overrun);
  if (entry.standby !== undefined) differs('standby', entry.standby, state.hq.standby);
  if (entry.cause !== undefined) differs('cause', entry.cause, state.hq.cause);
  if (entry.incident !== undefined) differs('incident open', entry.incident, state.incident !== null);
  if (entry.closedWindow !== undefined) differs('last closed window', entry.closedWindow, seen.closedWindow);
  if (entry.callManager !== undefined) {
    const hq = x.config.headquarters;
    const address = entry.callManager === null ? null : entry.callManager === 'primary' ? hq.primary.address : hq.secondary.address;
    for (const site of state.sites) differs(`${site.id}.callManagerAddress`, address, site.callManagerAddress);
  }
  for (const want of entry.nodes ?? []) {
    const node = state.nodes.find((n) => n.id === want.node);
    if (want.status !== undefined) differs(`${want.node}.status`, want.status, node?.status);
    if (want.flapping !== undefined) differs(`${want.node}.flapping`, want.flapping, node?.flapping);
  }
  for (const { site: id, ...services } of entry.sites ?? []) {
    const site = state.sites.find((s) => s.id === id);
    for (const [service, status] of Object.entries(services)) {
      const got = site?.services[service as ServiceKey];
      if (status !== got?.status) out.push(`${id}.${service}: want ${status}, got ${got?.status}${got?.reason ? ` (${got.reason})` : ''}`);
    }
  }
  return out;
}

/** Polls `check` every 20 ms until it returns true or `until()` does; true when `check` won. */
async function pollUntil(check: () => boolean, until: () => boolean, hardDeadlineMs: number): Promise<boolean> {
  const hard = performance.now() + hardDeadlineMs;
  for (;;) {
    if (check()) return true;
    if (until() || performance.now() > hard) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Where an entry's stretch ends: before a step is applied (its index among the runner's calls), at a time, or at the end of the pass. */
type Boundary = { kind: 'step'; call: number; atMs: number } | { kind: 'time'; atMs: number } | { kind: 'end'; atMs: number };

function boundaryOf(scenario: Scenario, index: number): Boundary {
  const entry = scenario.expect[index];
  const next = scenario.expect[index + 1];
  const call = scenario.steps.findIndex((s) => s.atMs > entry.afterMs);
  const step = scenario.steps[call];
  if (step && (!next || step.atMs <= next.afterMs)) return { kind: 'step', call, atMs: step.atMs };
  if (next) return { kind: 'time', atMs: next.afterMs };
  // A loop's next pass starts with its first step; a single pass ends with `done`.
  return scenario.loop
    ? { kind: 'step', call: scenario.steps.length, atMs: scenario.durationMs }
    : { kind: 'end', atMs: scenario.durationMs };
}

/** HQ states the entries name, consecutive repeats folded: what a dashboard must have shown, in order. */
function hqSequence(scenario: Scenario): HqState[] {
  const states = scenario.expect.flatMap((e) => (e.hq ? [e.hq] : []));
  return states.filter((s, i) => s !== states[i - 1]);
}

function isSubsequence(want: readonly string[], got: readonly string[]): boolean {
  let at = 0;
  for (const s of got) if (s === want[at]) at += 1;
  return at === want.length;
}

async function play(name: string, octet: number, expect: ExpectStatic): Promise<void> {
  const topology = name === DEMO_SCENARIO ? demoTopology(octet) : smallTopology(octet);
  const loaded = await loadScenarioFile(`${SCENARIO_DIR}${name}.yaml`, topology);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const scenario = loaded.scenario;
  const { speed, settings } = planFor(scenario, topology);
  const x = await startLabApp(octet, settings, { topology });
  const monitor = x.t.app.monitor;
  // Window kinds are decided when windows close: recorded in the history events, as the store keeps them.
  let closedWindow: WindowKind | null = null;
  monitor.onHistory((events) => {
    for (const e of events) if (e.type === 'window-closed') closedWindow = e.kind;
  });
  const seen = (): Seen => ({ state: monitor.current(), closedWindow });
  let runner: ScenarioRunner | undefined;
  try {
    // Every node has a verdict before the clock starts, so entries at 0s see a settled monitor.
    await eventually(
      () => monitor.current().nodes.every((n) => n.status !== 'unknown') && monitor.current().hq.state !== 'starting',
      GRACE_MS,
      `${name}: first verdicts`,
    );

    /** What the monitor showed right before each step the runner applies, by call number. */
    const before: Seen[] = [];
    let applied = 0;
    let done = false;
    const target = {
      async setState(node: string, state: NodeState, options?: StateOptions) {
        before.push(seen());
        await x.lab.setState(node, state, options);
        applied += 1;
      },
    };
    runner = new ScenarioRunner(target, scenario, { speed });
    let failure: Error | undefined;
    runner.on('failed', (err) => (failure = err));
    runner.on('done', () => (done = true));
    const start = performance.now();
    runner.start();
    const clock = () => (performance.now() - start) * speed;
    const lag = (atMs: number) => Math.max(0, atMs / speed - (performance.now() - start)) + GRACE_MS;

    for (const [index, entry] of scenario.expect.entries()) {
      const label = `${name} expect[${index}] (after ${entry.afterMs / 60_000}m${entry.note ? `: ${entry.note}` : ''})`;
      const due = scenario.steps.filter((s) => s.atMs <= entry.afterMs).length;
      await eventually(() => failure ?? (clock() >= entry.afterMs && applied >= due), lag(entry.afterMs), `${label}: its steps`);
      if (failure) throw failure;

      const boundary = boundaryOf(scenario, index);
      const passed =
        boundary.kind === 'step'
          ? () => before.length > boundary.call
          : boundary.kind === 'time'
            ? () => clock() >= boundary.atMs
            : () => done && performance.now() - start >= boundary.atMs / speed + GRACE_MS;
      let last = seen();
      const shownInTime = await pollUntil(() => mismatches(x, entry, (last = seen())).length === 0, passed, lag(boundary.atMs) + GRACE_MS);
      if (!shownInTime)
        throw new Error(
          `${label} never showed before ${boundary.kind} at ${boundary.atMs / 60_000}m: ${mismatches(x, entry, last).join('; ')}`,
        );

      // …and still holds where its stretch ends. A time-only end is not checked for the overrun
      // flag, which is time-driven itself and may turn a round early under load.
      let held: Seen;
      if (boundary.kind === 'step') {
        await eventually(() => before.length > boundary.call, lag(boundary.atMs), `${label}: the next step`);
        held = before[boundary.call];
      } else if (boundary.kind === 'time') {
        await eventually(() => clock() >= boundary.atMs, lag(boundary.atMs), `${label}: its end`);
        held = seen();
      } else {
        await eventually(() => done, lag(boundary.atMs), `${label}: the end of the scenario`);
        held = seen();
      }
      const broken = mismatches(x, entry, held, { overrun: boundary.kind !== 'time' });
      // An entry that leaves the HQ state open (a flapping node) still says it does not move.
      if (entry.hq === undefined && held.state.hq.state !== last.state.hq.state)
        broken.push(`hq: was ${last.state.hq.state}, then ${held.state.hq.state}`);
      expect(broken, `${label} stopped holding before ${boundary.atMs / 60_000}m`).toEqual([]);
    }

    const want = hqSequence(scenario);
    const shown = () => x.seen.map((s) => s.state);
    const ok = await pollUntil(
      () => isSubsequence(want, shown()),
      () => false,
      2_000,
    );
    expect(ok, `${name}: a dashboard saw ${shown().join(' → ')}; want ${want.join(' → ')} in that order`).toBe(true);
  } finally {
    runner?.stop();
    await x.close();
  }
}

const files = (await scenarioFiles()).sort();

describe('built-in scenarios against the real monitor', () => {
  it('the library holds every built-in scenario', () => {
    expect(files).toEqual(expect.arrayContaining([...BUILTIN_SCENARIOS]));
    expect(files.length).toBeLessThanOrEqual(20); // second octets 80–99
  });

  for (const [index, name] of files.entries()) {
    it.concurrent(
      `${name} shows the states, windows and site impacts it expects`,
      ({ expect }) => play(name, FIRST_OCTET + index, expect),
      90_000,
    );
  }
});
