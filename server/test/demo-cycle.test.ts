/**
 * The demo as a newcomer sees it (`hqwatch demo`, `npm start`): the demo lab looping its scenario
 * at the demo's speed, the real monitor with the demo's settings, and a dashboard's socket.io
 * client. Within a minute of wall-clock time the client sees a whole cycle: primary-active →
 * failing-over → secondary-active → failing-back → primary-active. Loopback octet 81. It takes as
 * long as the demo does (about 37 s): the one test here that plays it in real time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { decodeState, validateConfig, type HqState } from '@hqwatch/shared';
import { startDemoLab, type DemoLab } from '../src/lab/index.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { connectDashboard, syncWire, type DashboardSocket } from './support/socket.ts';

const CYCLE: HqState[] = ['primary-active', 'failing-over', 'secondary-active', 'failing-back', 'primary-active'];

let demo: DemoLab | undefined;
let t: TestApp | undefined;
let socket: DashboardSocket | undefined;
afterAll(async () => {
  socket?.close();
  await t?.close();
  await demo?.close();
});

/** The cycle's states in the order seen, from the first primary-active on; null until it has one. */
function cycleIn(seen: { state: HqState; at: number }[]): { state: HqState; at: number }[] | null {
  const start = seen.findIndex((s) => s.state === 'primary-active');
  if (start < 0) return null;
  const end = seen.findIndex((s, i) => i > start && s.state === 'primary-active');
  return end < 0 ? null : seen.slice(start, end + 1);
}

describe('hqwatch demo in real time', () => {
  it('shows primary-active → failing-over → secondary-active → failing-back → primary-active within 60 s', async () => {
    const started = Date.now();
    // As `hqwatch demo` does it: the lab first, the monitor on the demo's config, then the scenario plays.
    demo = await startDemoLab({ octet: 81, controlPort: 0, autoplay: false, log: () => undefined });
    const checked = validateConfig(demo.config);
    if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    t = await startTestApp(checked.config);
    socket = connectDashboard(t.url);
    const seen: { state: HqState; at: number }[] = [];
    const note = (state: HqState) => {
      if (seen.at(-1)?.state !== state) seen.push({ state, at: Date.now() - started });
    };
    socket.on('state:changed', (delta) => delta.hq?.state && note(delta.hq.state));
    note(decodeState(await syncWire(socket)).hq.state);
    demo.play();

    const cycle = await eventually(
      () => cycleIn(seen) ?? false,
      60_000 - (Date.now() - started),
      'a whole failover and failback cycle',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; seen: ${seen.map((s) => `${s.state} at ${s.at} ms`).join(' → ')}`);
    });
    expect(cycle.map((s) => s.state)).toEqual(CYCLE);
    expect(cycle.at(-1)!.at).toBeLessThanOrEqual(60_000);
  }, 75_000);
});
