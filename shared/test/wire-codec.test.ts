import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyWireDelta,
  CONTRACT_VERSION,
  computeImpact,
  decodeState,
  diffState,
  encodeDelta,
  encodeState,
  HQ_STATES,
  memoizeReasons,
  renderReason,
  summarizeSwitches,
  validateConfig,
  withStatusDb,
  type HqState,
  type HqwatchConfig,
  type LiveState,
  type NodeHealth,
  type NodeStatus,
  type NodeView,
  type StatusDbSnapshot,
  type WireDelta,
  type WireSite,
} from '@hqwatch/shared';
import { company, companyDoc, hqIn } from './impact-fixtures.ts';

const AT = Date.parse('2025-03-01T10:00:00.000Z');
const NODE_STATUSES: NodeStatus[] = ['serving', 'reachable', 'down', 'unknown'];

interface World {
  seq: number;
  hq: HqState;
  health: Record<string, NodeHealth>;
  /** Probe latency per node, null for a failing probe. */
  latency: Record<string, number | null>;
  /** Switch codes per site id, when a status database is configured. */
  switches: Record<string, number[]> | null;
  config: HqwatchConfig;
}

function nodes(world: World): NodeView[] {
  const { primary, secondary } = world.config.headquarters;
  const list = [
    { id: 'primary', name: primary.name, address: primary.address, role: 'hq-primary' as const },
    { id: 'secondary', name: secondary.name, address: secondary.address, role: 'hq-secondary' as const },
    ...world.config.servers.map((s) => ({ id: s.id, name: s.name, address: s.address, role: 'distributed' as const })),
  ];
  return list.map((n) => {
    const latency = world.latency[n.id] ?? null;
    return {
      ...n,
      status: world.health[n.id]?.status ?? 'unknown',
      flapping: world.health[n.id]?.flapping ?? false,
      since: new Date(AT).toISOString(),
      probes: [
        latency === null
          ? { kind: 'tcp', target: `${n.address}:4308`, ok: false, latencyMs: null, error: 'connection refused' }
          : { kind: 'tcp', target: `${n.address}:4308`, ok: true, latencyMs: latency },
        { kind: 'sip', target: `${n.address}:5441`, ok: true, latencyMs: 1.5 },
      ],
    };
  });
}

/** The LiveState of a world, as the live path assembles it. */
function stateOf(world: World): LiveState {
  const at = new Date(AT + world.seq * 2_000).toISOString();
  const hq = hqIn(world.hq);
  const impact = computeImpact({ config: world.config, hq, nodes: world.health });
  const base: LiveState = {
    contractVersion: CONTRACT_VERSION,
    seq: world.seq,
    at,
    hq,
    nodes: nodes(world),
    sites: impact.sites.map((s) => ({ ...s, callManagerAddress: hq.activeAddress })),
    incident: world.hq === 'primary-active' ? null : { id: 'inc-1', startedAt: at },
    monitor: { healthy: true, intervalMs: 2_000 },
    impact: impact.summary,
  };
  if (!world.switches) return base;
  const snapshot: StatusDbSnapshot = {
    source: { status: 'ok', since: at, readAt: at, target: 'ro@hq:4308/shorewarestatus', intervalMs: 15_000 },
    sites: Object.fromEntries(
      Object.entries(world.switches).map(([id, codes]) => [
        id,
        summarizeSwitches(Object.fromEntries(codes.map((c, i) => [`sw-${i}`, c])), at),
      ]),
    ),
    servers: { primary: [{ name: 'TMS', displayName: 'ShoreWare TMS', state: 4, stateText: 'running', running: true }] },
  };
  return withStatusDb(base, snapshot);
}

/** The company after a config reload: Boston renamed, Miami and its server gone. */
const renamed = validateConfig({
  ...companyDoc,
  servers: companyDoc.servers.filter((s) => s.id !== 'dvs-miami'),
  sites: companyDoc.sites.filter((s) => s.id !== 'miami').map((s) => (s.id === 'boston' ? { ...s, name: 'Boston (Back Bay)' } : s)),
});
if (!renamed.ok) throw new Error(JSON.stringify(renamed.errors));

const world: fc.Arbitrary<Omit<World, 'seq'>> = fc.record({
  hq: fc.constantFrom(...HQ_STATES),
  health: fc.record(
    Object.fromEntries(
      ['primary', 'secondary', 'dvs-boston', 'dvs-denver', 'dvs-miami'].map((id) => [
        id,
        fc.record({ status: fc.constantFrom(...NODE_STATUSES), flapping: fc.boolean() }),
      ]),
    ),
  ),
  latency: fc.record({ primary: fc.option(fc.integer({ min: 1, max: 5 })), 'dvs-boston': fc.option(fc.integer({ min: 1, max: 3 })) }),
  switches: fc.option(
    fc.record({ austin: fc.array(fc.constantFrom(110, 490, 230), { maxLength: 3 }), hq: fc.constantFrom([490], [110, 490]) }),
  ),
  config: fc.constantFrom(company, company, company, renamed.config),
});

describe('the wire: full state', () => {
  it.each(HQ_STATES)('%s decodes back to the LiveState it was encoded from, reasons worded alike', (hq) => {
    const state = stateOf({
      seq: 1,
      hq,
      health: {},
      latency: { primary: 2 },
      switches: { hq: [490], austin: [110, 490] },
      config: company,
    });
    expect(decodeState(encodeState(state))).toEqual(state);
    expect(decodeState(JSON.parse(JSON.stringify(encodeState(state))), memoizeReasons())).toEqual(state);
  });

  it('words a reason only when it is read, once, and still as an own property that JSON and spreading carry', () => {
    const state = stateOf({ seq: 1, hq: 'failing-over', health: {}, latency: {}, switches: null, config: company });
    const worded: string[] = [];
    const decoded = decodeState(
      encodeState(state),
      memoizeReasons(100, (code, params, context) => {
        worded.push(`${context.site}/${context.service}`);
        return renderReason(code, params, context);
      }),
    );
    expect(worded).toEqual([]);
    const austin = decoded.sites.find((s) => s.id === 'austin')!;
    const expected = state.sites.find((s) => s.id === 'austin')!.services.voicemail.reason;
    expect(austin.services.voicemail.reason).toBe(expected);
    expect(austin.services.voicemail.reason).toBe(expected);
    expect(worded).toEqual(['Austin/voicemail']);
    expect(JSON.parse(JSON.stringify(austin.services.telephony)).reason).toBe(
      state.sites.find((s) => s.id === 'austin')!.services.telephony.reason,
    );
    expect({ ...austin.services.video }.reason).toBe(state.sites.find((s) => s.id === 'austin')!.services.video.reason);
    expect(Object.keys(austin.services.voicemail)).toContain('reason');
  });

  it('carries each distinct service state once, sites referring to it', () => {
    const state = stateOf({ seq: 1, hq: 'failing-over', health: {}, latency: {}, switches: null, config: company });
    const wire = encodeState(state);
    const lost = wire.svc.filter((e) => e.r === 'via' && e.s === 'down');
    // Configuration changes (the sixth service) are lost through HQ at every site: one entry.
    expect(new Set(wire.sites.map((s) => (s.s as number[])[5]))).toEqual(
      new Set([wire.svc.indexOf(lost.find((e) => JSON.stringify(e.p).includes('failing-over'))!)]),
    );
    expect(JSON.stringify(wire)).not.toMatch(/runs through|is routed through/);
    // The Call Manager address is hq's: no site repeats it.
    expect(wire.sites.some((s) => 'cm' in s)).toBe(false);
  });

  it('says a site address apart when it is not hq.activeAddress', () => {
    const state = stateOf({ seq: 1, hq: 'primary-active', health: {}, latency: {}, switches: null, config: company });
    const odd = { ...state, sites: state.sites.map((s, i) => (i === 2 ? { ...s, callManagerAddress: '10.9.9.9' } : s)) };
    expect(encodeState(odd).sites[2]!.cm).toBe('10.9.9.9');
    expect(decodeState(encodeState(odd))).toEqual(odd);
  });
});

const healthy = Object.fromEntries(
  ['primary', 'secondary', 'dvs-boston', 'dvs-denver', 'dvs-miami'].map((id) => [id, { status: 'serving' as const, flapping: false }]),
);

/** Every site change of a delta, grouped ones as a site of their own. */
const siteChanges = (delta: WireDelta): WireSite[] => [
  ...(delta.sites ?? []),
  ...(delta.sg ?? []).flatMap(([s, ids]) => ids.map((id) => ({ id, s }))),
];

describe('the wire: deltas', () => {
  it('turn any state into any next one, through JSON, as the LiveState delta would', () => {
    fc.assert(
      fc.property(fc.array(world, { minLength: 2, maxLength: 6 }), (worlds) => {
        const states = worlds.map((w, i) => stateOf({ ...w, seq: i + 1 }));
        let held = decodeState(JSON.parse(JSON.stringify(encodeState(states[0]!))));
        for (let i = 1; i < states.length; i++) {
          const delta = encodeDelta(states[i - 1]!, states[i]!);
          held = applyWireDelta(held, JSON.parse(JSON.stringify(delta)));
          expect(held).toEqual(states[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keep the identity of every site, service, node and probe they leave alone', () => {
    const w: World = {
      seq: 1,
      hq: 'primary-active',
      health: {},
      latency: { primary: 2, 'dvs-boston': 1 },
      switches: null,
      config: company,
    };
    const a = stateOf(w);
    const b = stateOf({
      ...w,
      seq: 2,
      health: { 'dvs-boston': { status: 'down', flapping: false } },
      latency: { primary: 3, 'dvs-boston': null },
    });
    const held = decodeState(encodeState(a));
    const next = applyWireDelta(held, encodeDelta(a, b));
    const site = (s: LiveState, id: string) => s.sites.find((x) => x.id === id)!;
    expect(site(next, 'hq')).toBe(site(held, 'hq'));
    expect(site(next, 'boston')).not.toBe(site(held, 'boston'));
    expect(site(next, 'boston').services.configChanges).toBe(site(held, 'boston').services.configChanges);
    expect(site(next, 'boston').services.telephony.status).toBe('down');
    const node = (s: LiveState, id: string) => s.nodes.find((x) => x.id === id)!;
    expect(node(next, 'dvs-denver')).toBe(node(held, 'dvs-denver'));
    expect(node(next, 'primary').probes[1]).toBe(node(held, 'primary').probes[1]);
    expect(node(next, 'primary').probes[0]!.latencyMs).toBe(3);
  });

  it('send only the changed services of a site and the changed fields of a probe', () => {
    const w: World = { seq: 1, hq: 'primary-active', health: healthy, latency: { primary: 2 }, switches: null, config: company };
    const a = stateOf(w);
    const b = stateOf({ ...w, seq: 2, hq: 'failing-over', latency: { primary: 4 } });
    const delta = encodeDelta(a, b);
    const boston = siteChanges(delta).find((s) => s.id === 'boston')!;
    // Boston's users are on Boston DVS: only what goes through HQ changed.
    expect(Object.keys(boston.s!).sort()).toEqual(['a', 'c', 'w']);
    expect(boston).toEqual({ id: 'boston', s: boston.s });
    expect(delta.nodes).toEqual([{ id: 'primary', pc: { 0: { l: 4 } } }]);
    expect(Object.keys(delta.hq!).sort()).toEqual(
      ['activeAddress', 'since', 'standby', 'standbyId', 'state', 'targetAddress', 'window'].filter((k) => k in delta.hq!),
    );
    expect(delta.hq!.state).toBe('failing-over');
  });

  it('are a few bytes for a round where nothing changed', () => {
    const w: World = { seq: 1, hq: 'primary-active', health: {}, latency: { primary: 2 }, switches: null, config: company };
    const a = stateOf(w);
    const b = stateOf({ ...w, seq: 2 });
    const delta = encodeDelta(a, b);
    expect(delta).toEqual({ seq: 2, at: b.at });
    expect(JSON.stringify(delta).length).toBeLessThan(50);
  });

  it('reword the reasons of a renamed site', () => {
    const w: World = { seq: 1, hq: 'failing-over', health: healthy, latency: {}, switches: { hq: [490] }, config: company };
    const a = stateOf(w);
    const b = stateOf({ ...w, seq: 2, config: renamed.config });
    const next = applyWireDelta(decodeState(encodeState(a)), encodeDelta(a, b));
    expect(next.sites.find((s) => s.id === 'boston')!.services.im.reason).toMatch(/^IM for Boston \(Back Bay\)/);
    expect(next.sites.some((s) => s.id === 'miami')).toBe(false);
    expect(next).toEqual(b);
  });
});

/** The largest topology hqwatch is sized for: 20 distributed servers, 500 sites (as the benchmarks have it). */
function largest(): HqwatchConfig {
  const dvs = (i: number) => `dvs-${String(i + 1).padStart(2, '0')}`;
  const probes = [{ kind: 'sip', port: 5441 }];
  const result = validateConfig({
    headquarters: {
      primary: { name: 'HQ primary', address: '10.1.0.10', probes },
      secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
    },
    servers: Array.from({ length: 20 }, (_, i) => ({ id: dvs(i), name: `DVS ${i + 1}`, address: `10.3.${i}.5`, drs: i % 2 === 0, probes })),
    drs: { enabled: true },
    sites: Array.from({ length: 500 }, (_, i) => {
      const server = i % 20;
      const home = i % 5 === 0 ? 'hq' : dvs(server);
      return {
        id: `site-${String(i + 1).padStart(3, '0')}`,
        name: `Site ${i + 1}`,
        users: home,
        voicemail: i % 3 === 0 ? 'hq' : home,
        drs: i % 4 === 0 ? ['hq'] : [dvs(server - (server % 2)), 'hq'],
        userCount: 10 + (i % 90),
      };
    }),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('the wire at 500 sites', () => {
  const config = largest();
  const health = Object.fromEntries(
    ['primary', 'secondary', ...config.servers.map((s) => s.id)].map((id) => [id, { status: 'serving' as const, flapping: false }]),
  );
  const w: World = { seq: 1, hq: 'primary-active', health, latency: {}, switches: null, config };
  const before = stateOf(w);
  const after = stateOf({ ...w, seq: 2, hq: 'failing-over' });

  it('carries a failover in under 40 KB, where its sentences took 474 KB', () => {
    const bytes = JSON.stringify(encodeDelta(before, after)).length;
    expect(JSON.stringify(diffState(before, after)).length).toBeGreaterThan(400_000);
    expect(bytes).toBeLessThan(40 * 1024);
  });

  it('sends each way a failover changes sites once, with the ids of the sites it changed', () => {
    const delta = encodeDelta(before, after);
    // A handful of ways for 500 sites: each travels once, each site as its id.
    expect(delta.sg!.length).toBeLessThan(10);
    expect(delta.sg!.reduce((n, [, ids]) => n + ids.length, 0) + (delta.sites?.length ?? 0)).toBe(siteChanges(delta).length);
    for (const [, ids] of delta.sg!) expect(ids.length).toBeGreaterThan(1);
    expect(new Set(delta.sg!.map(([services]) => JSON.stringify(services))).size).toBe(delta.sg!.length);
    // A change no other site shares, or that says more than services, stays a site of its own.
    for (const site of delta.sites ?? [])
      expect(Object.keys(site).length > 2 || delta.sg!.every(([s]) => JSON.stringify(s) !== JSON.stringify(site.s))).toBe(true);
    expect(JSON.stringify(delta).length).toBeLessThan(10 * 1024);
    const held = applyWireDelta(decodeState(JSON.parse(JSON.stringify(encodeState(before)))), JSON.parse(JSON.stringify(delta)));
    expect(held).toEqual(after);
  });

  it('carries the full state in under 60 KB before compression', () => {
    expect(JSON.stringify(encodeState(after)).length).toBeLessThan(60 * 1024);
    expect(JSON.stringify(encodeState(before)).length).toBeLessThan(60 * 1024);
  });
});
