import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@hqwatch/shared';
import {
  DEMO_SCENARIO,
  DEMO_SPEED,
  demoExpectedWindow,
  demoMonitorSettings,
  demoTopology,
  resolveScenario,
  runLabCommand,
  startDemoLab,
} from '../src/lab/index.ts';
import { tcpExchange, until } from './lab-raw-clients.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hqwatch-lab-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('hqwatch lab', () => {
  it('a scenario file with errors gives exit code 2 and every error as path: message, binding nothing', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      [
        'name: broken',
        'description: d',
        'steps:',
        '  - { at: 1 minute, node: primary, state: stopped }',
        '  - { at: 2m, node: hq3, state: down }',
      ].join('\n'),
    );
    const lines: string[] = [];
    const result = await runLabCommand({ scenario: file, octet: 67, controlPort: 0, log: (l) => lines.push(l) });
    expect(result).toEqual({
      exitCode: 2,
      errors: [
        'steps[0].at: "1 minute" is not a duration (use 500ms, 2s, 5m, 1h)',
        expect.stringMatching(/^steps\[1\]\.node: unknown node "hq3"/),
      ],
    });
    expect(lines).toEqual([]);
  });

  it('an unknown scenario name or a bad speed gives exit code 2', async () => {
    const unknown = await runLabCommand({ scenario: 'meteor-strike', log: () => undefined });
    expect(unknown).toMatchObject({ exitCode: 2, errors: [expect.stringMatching(/^\(scenario\): unknown scenario "meteor-strike"/)] });
    const speed = await runLabCommand({ scenario: 'clean-failover', speed: 0, log: () => undefined });
    expect(speed).toMatchObject({ exitCode: 2, errors: ['speed: must be a number above 0, got 0'] });
  });

  it('runs the demo topology, prints its addresses and control API, and plays the scenario', async () => {
    const lines: string[] = [];
    const result = await runLabCommand({ scenario: 'split-brain', speed: 6_000, octet: 67, controlPort: 0, log: (l) => lines.push(l) });
    if ('exitCode' in result) throw new Error(result.errors.join('\n'));
    try {
      const text = lines.join('\n');
      for (const address of ['127.67.1.10', '127.67.2.10', '127.67.3.10', '127.67.3.13', '127.67.9.10']) expect(text).toContain(address);
      expect(text).toContain(`control API on ${result.control.url}`);
      // Split brain: at 2m / 6000 = 20 ms the secondary starts serving too.
      await until(() => lines.some((l) => l.includes('secondary → serving')), 5_000, 'the split-brain step');
      const secondary = result.lab.endpoints('secondary');
      await until(
        async () => (await tcpExchange(secondary.address, secondary.ports.database!, 500)).kind === 'data',
        5_000,
        'secondary serving',
      );
    } finally {
      await result.close();
    }
    expect(result.lab.listeners()).toEqual([]);
  });
});

describe('hqwatch demo', () => {
  it('scales the expected window with the speed', () => {
    expect(demoExpectedWindow(60)).toEqual({ minMs: 5_000, maxMs: 20_000 });
    expect(demoExpectedWindow(1)).toEqual({ minMs: 300_000, maxMs: 1_200_000 });
  });

  it('shows failover, secondary-active, failback and primary-active within a minute, debounce included', async () => {
    const loaded = await resolveScenario(DEMO_SCENARIO, demoTopology(0));
    if (!loaded.ok) throw new Error('invalid demo scenario');
    const { steps, loop, durationMs } = loaded.scenario;
    const settings = demoMonitorSettings(DEMO_SPEED);
    const at = (node: string, state: string) => steps.find((s) => s.node === node && s.state === state && s.atMs > 0)!.atMs / DEMO_SPEED;
    const failover = at('primary', 'stopped');
    const secondaryUp = at('secondary', 'serving');
    const failback = at('secondary', 'stopped');
    const primaryUp = at('primary', 'serving');
    expect([failover, secondaryUp, failback, primaryUp]).toEqual([...[failover, secondaryUp, failback, primaryUp]].sort((a, b) => a - b));
    // The slowest monitor the demo allows: 1 s rounds. Each stage lasts long enough to be debounced and seen.
    const debounce = (Math.max(settings.failAfter, settings.recoverAfter) + 1) * 1_000;
    expect(failover).toBeGreaterThanOrEqual(debounce); // primary-active seen first
    for (const stage of [secondaryUp - failover, failback - secondaryUp, primaryUp - failback]) expect(stage).toBeGreaterThan(2 * debounce);
    expect(primaryUp + debounce).toBeLessThanOrEqual(60_000);
    // Both windows fall inside the scaled expected window, so the banner reads "within expected".
    const window = demoExpectedWindow(DEMO_SPEED);
    for (const length of [secondaryUp - failover, primaryUp - failback]) {
      expect(length).toBeGreaterThanOrEqual(window.minMs);
      expect(length).toBeLessThanOrEqual(window.maxMs);
    }
    expect(loop).toBe(true);
    expect(durationMs / DEMO_SPEED - primaryUp).toBeGreaterThan(2 * debounce); // primary-active holds before the next pass
  });

  it('starts the demo lab with a valid config of 4 servers and 12 sites, and plays on demand', async () => {
    const lines: string[] = [];
    const demo = await startDemoLab({ octet: 68, controlPort: 0, autoplay: false, log: (l) => lines.push(l) });
    try {
      const result = validateConfig(demo.config);
      if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      expect(result.config.servers).toHaveLength(4);
      expect(result.config.sites).toHaveLength(12);
      expect(result.config.sites.every((s) => (s.userCount ?? 0) > 0)).toBe(true);
      expect(new Set(result.config.sites.map((s) => s.users))).toEqual(
        new Set(['hq', 'dvs-boston', 'dvs-austin', 'dvs-denver', 'dvs-london']),
      );
      expect(result.config.monitor).toMatchObject({ expectedWindow: { min: 5_000, max: 20_000 }, failAfter: 2 });
      expect(result.config.monitor.interval).toBeLessThanOrEqual(1_000);
      expect(result.config.headquarters.primary.address).toBe('127.68.1.10');
      expect(demo.player.current()).toBeNull();
      demo.play();
      expect(demo.player.current()).toMatchObject({ name: 'failover-failback', speed: DEMO_SPEED, loop: true, running: true });
    } finally {
      await demo.close();
    }
  });
});
