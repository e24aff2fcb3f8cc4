import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, demoTopology, parseScenario, resolveScenario, smallTopology } from '../src/lab/index.ts';
import { scenarioFiles } from '../src/lab/scenarios.ts';

const topology = smallTopology(61);
const errorsOf = (text: string) => {
  const result = parseScenario(text, topology);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('scenario files', () => {
  it('parse with defaults, times in ms, steps sorted by time', () => {
    const result = parseScenario(
      [
        'name: mini',
        'description: d',
        'steps:',
        '  - { at: 2m, node: secondary, state: serving }',
        '  - { at: 30s, node: primary, state: stopped }',
      ].join('\n'),
      topology,
    );
    expect(result).toEqual({
      ok: true,
      scenario: {
        name: 'mini',
        description: 'd',
        speed: 1,
        loop: false,
        durationMs: 120_000,
        steps: [
          { atMs: 30_000, node: 'primary', state: 'stopped' },
          { atMs: 120_000, node: 'secondary', state: 'serving' },
        ],
        expect: [],
      },
    });
  });

  it('report every error with its path at once', () => {
    const errors = errorsOf(
      [
        'name: Bad Name',
        'description: d',
        'speed: 0',
        'colour: red',
        'steps:',
        '  - { at: soon, node: primary, state: stopped }',
        '  - { at: 1m, node: tertiary, state: stopped }',
        '  - { at: 2m, node: primary, state: exploded }',
        '  - { at: 3m, node: primary, state: serving, latencyMs: 10 }',
        'expect:',
        '  - { after: 1m, hq: sideways, nodes: [ { node: dvs-nowhere, status: down } ], sites: [ { site: mars, telephony: down } ] }',
      ].join('\n'),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^speed: /),
        expect.stringMatching(/^\(root\): .*colour/),
        'steps[0].at: "soon" is not a duration (use 500ms, 2s, 5m, 1h)',
        expect.stringMatching(/^steps\[1\]\.node: unknown node "tertiary" \(known: primary, secondary, dvs-boston, dvs-austin, witness\)$/),
        expect.stringMatching(/^steps\[2\]\.state: /),
        'steps[3].latencyMs: latencyMs only applies to state slow',
        expect.stringMatching(/^expect\[0\]\.hq: /),
        expect.stringMatching(/^expect\[0\]\.nodes\[0\]\.node: unknown node "dvs-nowhere"/),
        expect.stringMatching(/^expect\[0\]\.sites\[0\]\.site: unknown site "mars"/),
      ]),
    );
    expect(errors).toHaveLength(10);
  });

  it('reject a loop without a duration and a duration shorter than the steps', () => {
    expect(errorsOf('name: a\ndescription: d\nloop: true\nsteps: [ { at: 0s, node: primary, state: serving } ]')).toEqual([
      'duration: a looping scenario needs a duration above 0',
    ]);
    expect(errorsOf('name: a\ndescription: d\nduration: 1m\nsteps: [ { at: 2m, node: primary, state: serving } ]')).toEqual([
      'duration: duration is shorter than the last step',
    ]);
  });

  it('report YAML syntax errors and empty files', () => {
    expect(errorsOf('name: [unclosed')).toEqual([expect.stringMatching(/^\(file\): invalid YAML/)]);
    expect(errorsOf('')).toEqual(['(file): the file is empty']);
  });

  it('report an unknown scenario name and a missing file', async () => {
    const unknown = await resolveScenario('no-such-thing', topology);
    expect(unknown.ok === false && unknown.errors[0].message).toMatch(/unknown scenario "no-such-thing" \(built-in: clean-failover/);
    const missing = await resolveScenario('/nonexistent/dir/x.yaml', topology);
    expect(missing).toEqual({ ok: false, errors: [{ path: '(file)', message: 'cannot read /nonexistent/dir/x.yaml: no such file' }] });
  });
});

describe('the built-in library', () => {
  it('lists exactly the YAML files shipped', async () => {
    expect((await scenarioFiles()).sort()).toEqual([...BUILTIN_SCENARIOS].sort());
  });

  for (const name of BUILTIN_SCENARIOS) {
    it(`${name} validates against the demo and the small topology, named after its file, with expectations`, async () => {
      for (const t of [demoTopology(61), topology]) {
        const result = await resolveScenario(name, t);
        if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
        expect(result.scenario.name).toBe(name);
        expect(result.scenario.expect.length).toBeGreaterThanOrEqual(2);
        // Expectations are in time order and none lies beyond the scenario.
        const afters = result.scenario.expect.map((e) => e.afterMs);
        expect(afters).toEqual([...afters].sort((a, b) => a - b));
        expect(Math.max(...afters)).toBeLessThanOrEqual(result.scenario.durationMs);
      }
    });
  }

  it('failover-overrun keeps the window open past 20 minutes, clean-failover does not', async () => {
    const windowOf = async (name: string) => {
      const r = await resolveScenario(name, topology);
      if (!r.ok) throw new Error('invalid');
      const stop = r.scenario.steps.find((s) => s.node === 'primary' && s.state === 'stopped')!.atMs;
      const take = r.scenario.steps.find((s) => s.node === 'secondary' && s.state === 'serving')!.atMs;
      return take - stop;
    };
    expect(await windowOf('failover-overrun')).toBeGreaterThan(20 * 60_000);
    expect(await windowOf('clean-failover')).toBeLessThanOrEqual(20 * 60_000);
    expect(await windowOf('clean-failover')).toBeGreaterThanOrEqual(5 * 60_000);
  });
});
