import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@hqwatch/shared';
import {
  demoTopology,
  isLoopback,
  labConfig,
  NODE_STATES,
  ScenarioPlayer,
  smallTopology,
  startControlApi,
  startLab,
  type ControlApi,
  type Lab,
} from '../src/lab/index.ts';
import { resolveScenario } from '../src/lab/scenarios.ts';
import { httpGet, sipOptions, tcpExchange } from './lab-raw-clients.ts';

const settings = { intervalMs: 500, timeoutMs: 400, failAfter: 2, recoverAfter: 2, expectedWindow: { minMs: 5_000, maxMs: 20_000 } };

/** Every listener the lab reports, checked against what its socket really is bound to. */
function checkListeners(lab: Lab): number {
  const listeners = lab.listeners();
  for (const l of listeners) {
    expect(isLoopback(l.address), `${l.nodeId}/${l.service} reports ${l.address}`).toBe(true);
    const actual = l.socket.address() as AddressInfo;
    expect(actual.address, `${l.nodeId}/${l.service} is bound to ${actual.address}`).toBe(l.address);
    expect(isLoopback(actual.address)).toBe(true);
    expect(actual.port).toBe(l.port);
  }
  return listeners.length;
}

/** Every address, host and URL a generated config points the monitor at. */
function configTargets(config: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => walk(v, k));
    else if (typeof value === 'string' && ['address', 'host'].includes(key)) found.push(value);
    else if (typeof value === 'string' && key === 'url') found.push(new URL(value).hostname);
  };
  walk(config);
  return found;
}

describe('no lab socket binds or sends outside 127.0.0.0/8', () => {
  let lab: Lab;
  let api: ControlApi;
  let player: ScenarioPlayer;

  beforeAll(async () => {
    lab = await startLab(demoTopology(64));
    player = new ScenarioPlayer(lab);
    api = await startControlApi({ lab, player, port: 0 });
  });
  afterAll(async () => {
    player?.stop();
    await api?.close();
    await lab?.close();
  });

  it('every listener of the demo topology, and the control API, is on loopback', () => {
    // primary 5 + standby secondary's host port + 4 DVSs × 5 + witness
    expect(checkListeners(lab)).toBe(5 + 1 + 4 * 5 + 1);
    expect((api.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('stays on loopback through every state of every kind of node', async () => {
    for (const state of NODE_STATES) {
      for (const id of ['primary', 'dvs-london', 'witness']) await lab.setState(id, state, { periodMs: 100, latencyMs: 10 });
      checkListeners(lab);
    }
    for (const id of ['primary', 'dvs-london', 'witness']) await lab.setState(id, 'serving');
    expect(checkListeners(lab)).toBe(27);
  });

  it('stays on loopback while a scenario plays', async () => {
    const loaded = await resolveScenario('dvs-lost-during-failover', lab.topology);
    if (!loaded.ok) throw new Error('invalid scenario');
    const runner = player.play(loaded.scenario, { speed: 12_000 });
    const seen: string[] = [];
    runner.on('step', () => seen.push(...lab.listeners().map((l) => `${l.address}|${(l.socket.address() as AddressInfo).address}`)));
    await new Promise<void>((resolve, reject) => runner.on('done', resolve).on('failed', reject));
    expect(seen.length).toBeGreaterThan(0);
    for (const pair of seen) for (const address of pair.split('|')) expect(isLoopback(address), pair).toBe(true);
    checkListeners(lab);
  });

  it('answers SIP from the node address itself, to the loopback sender only', async () => {
    await lab.setState('primary', 'serving');
    const primary = lab.endpoints('primary');
    // A connected UDP socket only accepts datagrams from the address it is connected to.
    expect(await sipOptions(primary.address, primary.ports['call-control']!)).toMatchObject({ kind: 'response', status: 200 });
  });

  it('the generated config points only at loopback addresses', () => {
    const targets = configTargets(labConfig(lab.topology, lab, settings));
    expect(targets.length).toBeGreaterThan(7);
    for (const t of targets) expect(isLoopback(t), t).toBe(true);
  });

  it('refuses a topology with an address outside 127.0.0.0/8, binding nothing', async () => {
    const topology = smallTopology(64);
    topology.nodes[2].address = '10.1.0.10';
    await expect(startLab(topology)).rejects.toThrow(/only uses 127\.0\.0\.0\/8/);
  });
});

describe('without loopback aliases', () => {
  let lab: Lab;
  const lines: string[] = [];

  beforeAll(async () => {
    lab = await startLab(smallTopology(65), { loopbackAliases: false, log: (line) => lines.push(line) });
  });
  afterAll(() => lab?.close());

  it('falls back to 127.0.0.1 with distinct ports and says so for every node', () => {
    const endpoints = lab.nodeIds().map((id) => lab.endpoints(id));
    expect(endpoints.every((e) => e.address === '127.0.0.1')).toBe(true);
    const tcp = lab.listeners().filter((l) => l.protocol === 'tcp');
    expect(new Set(tcp.map((l) => l.port)).size).toBe(tcp.length);
    for (const id of lab.nodeIds()) expect(lines.some((l) => l.includes(`${id} (`) && l.includes('using 127.0.0.1'))).toBe(true);
    checkListeners(lab);
  });

  it('keeps each node on its own ports across a stop and a restart', async () => {
    const before = lab.endpoints('secondary');
    await lab.setState('secondary', 'serving');
    await lab.setState('secondary', 'down');
    await lab.setState('secondary', 'serving');
    expect(lab.endpoints('secondary')).toEqual(before);
    expect(await tcpExchange(before.address, before.ports.database!)).toMatchObject({ kind: 'data' });
    await lab.setState('secondary', 'stopped');
  });

  it('the generated config uses the fallback ports, and each probe target answers', async () => {
    const config = labConfig(lab.topology, lab, settings);
    expect(validateConfig(config)).toMatchObject({ ok: true });
    const result = validateConfig(config);
    if (!result.ok) return;
    const primary = result.config.headquarters.primary;
    expect(primary.address).toBe('127.0.0.1');
    for (const probe of primary.probes) {
      if (probe.kind === 'tcp') expect(await tcpExchange(primary.address, probe.port)).not.toEqual({ kind: 'refused' });
      if (probe.kind === 'sip') expect(await sipOptions(primary.address, probe.port)).toMatchObject({ kind: 'response', status: 200 });
      if (probe.kind === 'http') expect(await httpGet(probe.url)).toMatchObject({ kind: 'response', status: 200 });
    }
    const [witness] = result.config.monitor.witness;
    expect(witness.kind === 'tcp' && witness.port).toBe(lab.endpoints('witness').ports.witness);
  });
});
