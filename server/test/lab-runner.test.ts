import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario, ScenarioRunner, smallTopology, startLab, type Scenario, type StepEvent } from '../src/lab/index.ts';
import { tcpExchange } from './lab-raw-clients.ts';

const topology = smallTopology(62);

function scenario(yaml: string[]): Scenario {
  const result = parseScenario(['name: test', 'description: test', ...yaml].join('\n'), topology);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

/** A stand-in lab that records what it was told and when. */
function recorder(now: () => number) {
  const calls: { node: string; state: string; at: number; options?: object }[] = [];
  return {
    calls,
    setState: async (node: string, state: string, options?: object) => {
      calls.push({ node, state, at: now(), options });
    },
  };
}

const steps = [
  'steps:',
  '  - { at: 0s, node: primary, state: serving }',
  '  - { at: 1m, node: primary, state: stopped }',
  '  - { at: 2m, node: secondary, state: serving }',
  '  - { at: 3m, node: primary, state: slow, latencyMs: 50 }',
];

afterEach(() => {
  vi.useRealTimers();
});

describe('scenario runner', () => {
  it('applies steps at their times divided by speed, in order, then reports done', async () => {
    const start = performance.now();
    const target = recorder(() => performance.now() - start);
    const runner = new ScenarioRunner(target, scenario(steps), { speed: 600 });
    const events: StepEvent[] = [];
    runner.on('step', (e) => events.push(e));
    const done = once(runner, 'done');
    runner.start();
    await done;
    expect(target.calls.map((c) => `${c.node}=${c.state}`)).toEqual([
      'primary=serving',
      'primary=stopped',
      'secondary=serving',
      'primary=slow',
    ]);
    expect(events.map((e) => e.dueMs)).toEqual([0, 100, 200, 300]);
    target.calls.forEach((call, i) => {
      expect(call.at).toBeGreaterThanOrEqual(i * 100 - 2); // never early (timer granularity aside)
      expect(call.at).toBeLessThan(i * 100 + 1_000); // generous: two shared cores
    });
    expect(target.calls[3].options).toEqual({ latencyMs: 50, periodMs: undefined });
    expect(runner.status()).toMatchObject({ running: false, stepsApplied: 4, pass: 1, speed: 600 });
  });

  it('loops: each pass starts one scaled duration after the previous one', async () => {
    const start = performance.now();
    const target = recorder(() => performance.now() - start);
    const runner = new ScenarioRunner(target, scenario(['loop: true', 'duration: 4m', ...steps]), { speed: 1_200 });
    const third = new Promise<void>((resolve) => runner.on('pass', (n) => n === 3 && resolve()));
    runner.start();
    await third;
    runner.stop();
    // Pass 2 began at 200 ms: its first step is due then, not when pass 1's last step ended.
    const secondPass = target.calls[4];
    expect(secondPass).toMatchObject({ node: 'primary', state: 'serving' });
    expect(secondPass.at).toBeGreaterThanOrEqual(198);
    expect(target.calls.length).toBeGreaterThanOrEqual(8);
  });

  it('stop() cancels the pending steps', async () => {
    vi.useFakeTimers();
    const target = recorder(() => Date.now());
    const runner = new ScenarioRunner(target, scenario(steps), { speed: 600, now: () => Date.now() });
    runner.start();
    await vi.advanceTimersByTimeAsync(150);
    expect(target.calls).toHaveLength(2);
    runner.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(target.calls).toHaveLength(2);
    expect(runner.status().running).toBe(false);
  });

  it('uses the scenario speed unless overridden', async () => {
    vi.useFakeTimers();
    const target = recorder(() => Date.now());
    const runner = new ScenarioRunner(target, scenario(['speed: 60', ...steps]), { now: () => Date.now() });
    expect(runner.speed).toBe(60);
    runner.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(target.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(target.calls).toHaveLength(2);
    runner.stop();
  });

  it('reports a step that cannot be applied and stops', async () => {
    const runner = new ScenarioRunner({ setState: () => Promise.reject(new Error('boom')) }, scenario(steps), { speed: 600 });
    const failed = once(runner, 'failed');
    runner.start();
    const [err] = (await failed) as [Error];
    expect(err.message).toBe('boom');
    expect(runner.status()).toMatchObject({ running: false, stepsApplied: 0 });
  });

  it('drives a real lab: a step event means the node already answers in its new state', async () => {
    const lab = await startLab(topology);
    try {
      const runner = new ScenarioRunner(lab, scenario(['steps:', '  - { at: 30s, node: primary, state: stopped }']), { speed: 300 });
      const step = once(runner, 'step');
      runner.start();
      await step;
      const primary = lab.endpoints('primary');
      expect(lab.node('primary').state).toBe('stopped');
      expect(await tcpExchange(primary.address, primary.ports.database!)).toEqual({ kind: 'refused' });
      runner.stop();
    } finally {
      await lab.close();
    }
  });
});
