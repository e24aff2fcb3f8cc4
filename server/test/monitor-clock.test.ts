// Loopback octet 46, never probed: the probes are scripted.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type HqwatchApp } from '../src/app.ts';
import { createLogger } from '../src/logger.ts';
import type { Clock } from '../src/monitor/clock.ts';
import { createSelfHealth } from '../src/monitor/self-health.ts';
import { eventually, fakeSelfHealth } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';

/** A wall clock set years ahead of the real one, moved by hand; intervals stay real. */
function movableClock(startIso: string): Clock & { advance(ms: number): void } {
  let wall = Date.parse(startIso);
  return { now: () => wall, monotonic: () => performance.now(), advance: (ms) => (wall += ms) };
}

interface Health {
  status: string;
  reason?: string;
  rounds: { lastRoundAt: string | null; intervalMs: number };
  network: { checkedAt: string | null };
}

describe('the injected clock', () => {
  let app: HqwatchApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is what /api/health measures a missing round against', async () => {
    const clock = movableClock('2031-05-04T10:00:00.000Z');
    const config = testConfig(46);
    app = createApp({ config, log: createLogger('silent'), clock, runProbe: scriptedProbes().run, selfHealth: fakeSelfHealth() });
    // Listening without starting the monitor: the test runs the rounds.
    await new Promise<void>((resolve) => app!.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/health`;
    await app.monitor.runRound();

    const fresh = (await (await fetch(url)).json()) as Health;
    expect(fresh).toMatchObject({ status: 'ok', rounds: { lastRoundAt: '2031-05-04T10:00:00.000Z' } });

    clock.advance(3 * config.monitor.interval + 1);
    const stale = (await (await fetch(url)).json()) as Health;
    expect(stale).toMatchObject({ status: 'degraded', reason: 'no monitor round in the last 3 intervals' });
  });

  it('dates the self-health network check', async () => {
    const clock = movableClock('2031-05-04T10:00:00.000Z');
    const health = createSelfHealth({
      log: createLogger('silent'),
      clock,
      networkProbe: async () => ({ iface: 'eth0', up: true }),
      refreshMs: 60_000,
    });
    health.start();
    try {
      const checked = await eventually(() => health.network().checkedAt, 5_000, 'the first network check');
      expect(checked).toBe('2031-05-04T10:00:00.000Z');
    } finally {
      health.stop();
    }
  });
});
