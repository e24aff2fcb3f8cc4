import type { HqwatchConfig } from '@hqwatch/shared';
import { createApp, type AppDeps, type HqwatchApp } from '../../src/app.ts';
import { createLogger } from '../../src/logger.ts';
import type { SelfHealth } from '../../src/monitor/self-health.ts';

/** Self-health with a fixed network state, so tests never depend on the host's interfaces. */
export function fakeSelfHealth(up: boolean | null = true): SelfHealth & { setUp(v: boolean | null): void } {
  let state = up;
  return {
    start() {},
    stop() {},
    setUp: (v) => (state = v),
    network: () => ({ iface: 'eth0', up: state, checkedAt: new Date().toISOString() }),
    report: async () => ({
      network: { iface: 'eth0', up: state, checkedAt: null },
      eventLoop: { meanMs: 0, p99Ms: 0, maxMs: 0 },
      cpu: { loadPercent: null, processPercent: 0 },
      memory: { rssBytes: process.memoryUsage().rss, heapUsedBytes: 0, systemTotalBytes: null, systemAvailableBytes: null },
      uptimeSeconds: 0,
    }),
  };
}

export interface TestApp {
  app: HqwatchApp;
  url: string;
  close(): Promise<void>;
}

/** Starts the real app on 127.0.0.1, port 0. */
export async function startTestApp(config: HqwatchConfig, deps: Partial<AppDeps> = {}): Promise<TestApp> {
  const app = createApp({ config, log: createLogger('silent'), selfHealth: fakeSelfHealth(), ...deps });
  const address = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Polls `check` until it returns a value or the deadline passes. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
