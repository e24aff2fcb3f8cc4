import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, fakeSelfHealth, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';

describe("the monitor's own network interface", () => {
  const config = testConfig(44);
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  const selfHealth = fakeSelfHealth(true);
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: probes.run, selfHealth });
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
    await eventually(() => t.app.monitor.current().incident === null, 10_000, 'no incident');
  });
  afterAll(() => t.close());

  it('going down makes the monitor blind, never a failover, and opens no incident', async () => {
    selfHealth.setUp(false);
    // Everything looks down from a host whose interface is down.
    probes.set(config.headquarters.primary.address, false);
    probes.set(config.servers[0]!.address, false);
    await eventually(() => t.app.monitor.current().hq.state === 'monitor-blind', 10_000, 'monitor-blind');
    const seq = t.app.monitor.current().seq;
    await eventually(() => t.app.monitor.current().seq > seq + 4, 10_000, 'more rounds');
    const blind = t.app.monitor.current();
    expect(blind.hq.state).toBe('monitor-blind');
    expect(blind.incident).toBeNull();
    expect(blind.monitor).toMatchObject({ healthy: false, reason: expect.stringMatching(/network interface is down/) });
    expect(blind.nodes.find((n) => n.id === 'primary')?.status).toBe('serving');

    selfHealth.setUp(true);
    probes.set(config.headquarters.primary.address, true);
    probes.set(config.servers[0]!.address, true);
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'sight regained');
    expect(t.app.monitor.current().incident).toBeNull();
  });
});
