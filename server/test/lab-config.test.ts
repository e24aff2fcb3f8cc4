import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { httpGet, sipOptions, tcpExchange } from './lab-raw-clients.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab(smallTopology(66));
});
afterAll(() => lab?.close());

const settings = { intervalMs: 750, timeoutMs: 500, failAfter: 2, recoverAfter: 3, expectedWindow: { minMs: 5_000, maxMs: 20_000 } };

describe('generated monitor config', () => {
  it('is a valid config whose durations are strings, with DRS on', () => {
    const raw = labConfig(lab.topology, lab, settings);
    expect(raw.monitor).toMatchObject({
      interval: '750ms',
      timeout: '500ms',
      failAfter: 2,
      recoverAfter: 3,
      expectedWindow: { min: '5000ms', max: '20000ms' },
    });
    const result = validateConfig(raw);
    if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    expect(result.config.drs.enabled).toBe(true);
    expect(result.config.monitor.interval).toBe(750);
  });

  it('probes the HQ pair on 4308, SIP 5441, the Director page and the host port; DVSs on SIP and the host port', () => {
    const result = validateConfig(labConfig(lab.topology, lab, settings));
    if (!result.ok) throw new Error('invalid');
    const { primary, secondary } = result.config.headquarters;
    expect(primary).toMatchObject({ name: 'HQ primary', address: '127.66.1.10' });
    expect(secondary.address).toBe('127.66.2.10');
    expect(primary.probes).toEqual([
      expect.objectContaining({ kind: 'tcp', port: 4308, role: 'service' }),
      expect.objectContaining({ kind: 'sip', port: 5441, role: 'service', acceptCodes: [200] }),
      expect.objectContaining({ kind: 'http', url: 'http://127.66.1.10:8000/ShoreWareDirector/', role: 'service' }),
      expect.objectContaining({ kind: 'tcp', port: 135, role: 'host' }),
    ]);
    expect(result.config.servers.map((s) => [s.id, s.address, s.drs, s.probes.map((p) => `${p.kind}/${p.role}`)])).toEqual([
      ['dvs-boston', '127.66.3.10', true, ['sip/service', 'tcp/host']],
      ['dvs-austin', '127.66.3.11', false, ['sip/service', 'tcp/host']],
    ]);
    expect(result.config.monitor.witness).toEqual([expect.objectContaining({ kind: 'tcp', host: '127.66.9.10', port: 53 })]);
    expect(result.config.sites.map((s) => s.id)).toEqual(['hq', 'boston', 'austin', 'chicago']);
    expect(result.config.sites.every((s) => typeof s.userCount === 'number')).toBe(true);
  });

  it('every service probe of the primary passes against the lab, and fails once it is stopped but for the host probe', async () => {
    const result = validateConfig(labConfig(lab.topology, lab, settings));
    if (!result.ok) throw new Error('invalid');
    const { address, probes } = result.config.headquarters.primary;
    const passes = async () =>
      Promise.all(
        probes.map(async (p) => {
          if (p.kind === 'tcp') return (await tcpExchange(address, p.port, 500)).kind !== 'refused';
          if (p.kind === 'sip') return (await sipOptions(address, p.port, 500)).kind === 'response';
          if (p.kind === 'http') return (await httpGet(p.url, 500)).kind === 'response';
          return false;
        }),
      );
    expect(await passes()).toEqual([true, true, true, true]);
    await lab.setState('primary', 'stopped');
    expect(await passes()).toEqual([false, false, false, true]);
    await lab.setState('primary', 'serving');
  });
});
