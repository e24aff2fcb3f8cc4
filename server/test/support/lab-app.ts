import { validateConfig, type HqState, type HqwatchConfig, type WireDelta } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab, type LabMonitorSettings, type LabTopology } from '../../src/lab/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { connectDashboard, syncWire } from './socket.ts';

export interface LabApp {
  lab: Lab;
  t: TestApp;
  config: HqwatchConfig;
  /** Every HQ state a socket client has seen, with the wall time it arrived. */
  seen: { state: HqState; at: number }[];
  deltas: WireDelta[];
  waitForHq(state: HqState, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export interface LabAppOptions {
  /** What the lab simulates; `smallTopology(octet)` when absent. */
  topology?: LabTopology;
}

/**
 * The real monitor (real probes, real scheduler) watching a real lab on its own loopback octet,
 * with a socket.io client recording what a dashboard would receive.
 */
export async function startLabApp(octet: number, settings: Partial<LabMonitorSettings> = {}, options: LabAppOptions = {}): Promise<LabApp> {
  const topology = options.topology ?? smallTopology(octet);
  const lab = await startLab(topology);
  const checked = validateConfig(
    labConfig(topology, lab, {
      intervalMs: 300,
      timeoutMs: 250,
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 20_000 },
      ...settings,
    }),
  );
  if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const config = checked.config;
  const t = await startTestApp(config);
  const socket = connectDashboard(t.url);
  const seen: LabApp['seen'] = [];
  const deltas: WireDelta[] = [];
  socket.on('state:changed', (delta) => {
    deltas.push(delta);
    const state = delta.hq?.state;
    if (state && seen.at(-1)?.state !== state) seen.push({ state, at: Date.now() });
  });
  const first = await syncWire(socket);
  seen.push({ state: first.hq.state, at: Date.now() });
  return {
    lab,
    t,
    config,
    seen,
    deltas,
    async waitForHq(state, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      const from = seen.length;
      for (;;) {
        const hit = seen.slice(Math.max(0, from - 1)).find((s) => s.state === state);
        if (hit) return hit.at;
        if (Date.now() > deadline) throw new Error(`HQ never reached ${state}; seen: ${seen.map((s) => s.state).join(' → ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      socket.close();
      await t.close();
      await lab.close();
    },
  };
}
