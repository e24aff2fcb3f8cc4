import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStandbyLost, type HistoryEvent } from '@hqwatch/shared';
import { eventually } from './support/app.ts';
import { startLabApp, type LabApp } from './support/lab-app.ts';

const INTERVAL = 300;
const FAIL_AFTER = 2;
/** DESIGN: a failover must show within interval × failAfter + 1 s of the primary's services stopping. */
const DETECTION_BUDGET = INTERVAL * FAIL_AFTER + 1_000;

describe('the monitor watching real simulated servers', () => {
  let x: LabApp;
  beforeAll(async () => {
    x = await startLabApp(71, { intervalMs: INTERVAL, failAfter: FAIL_AFTER });
    await x.waitForHq('primary-active');
  });
  afterAll(() => x.close());

  it('goes failing-over within interval × failAfter + 1 s of the primary stopping, then secondary-active', async () => {
    const stoppedAt = Date.now();
    await x.lab.setState('primary', 'stopped');
    const detectedAt = await x.waitForHq('failing-over');
    expect(detectedAt - stoppedAt).toBeLessThanOrEqual(DETECTION_BUDGET);
    const state = x.t.app.monitor.current();
    expect(state.hq.window).toMatchObject({ kind: 'failover', overrun: false });
    expect(state.incident).not.toBeNull();

    await x.lab.setState('secondary', 'serving');
    await x.waitForHq('secondary-active');
    const after = x.t.app.monitor.current();
    expect(after.hq.activeAddress).toBe(x.config.headquarters.secondary.address);
    expect(after.sites.every((s) => s.callManagerAddress === x.config.headquarters.secondary.address)).toBe(true);
  });

  it('comes back through failing-back to primary-active in the same incident, which then closes', async () => {
    const incident = x.t.app.monitor.current().incident;
    expect(incident).not.toBeNull();
    const from = x.deltas.length;
    await x.lab.setState('secondary', 'stopped');
    await x.waitForHq('failing-back');
    expect(x.t.app.monitor.current()).toMatchObject({ hq: { window: { kind: 'failback' } }, incident: { id: incident!.id } });
    await x.lab.setState('primary', 'serving');
    await x.waitForHq('primary-active');
    // Closed once primary-active has held for recoverAfter rounds; no other incident opened meanwhile.
    await eventually(() => x.t.app.monitor.current().incident === null, 15_000, 'the incident to close');
    // The socket's copy of that change is on its way to the dashboard: wait for it there too.
    await eventually(() => x.deltas.slice(from).some((delta) => delta.incident === null), 5_000, 'dashboards told it closed');
    const incidentsSent = x.deltas.slice(from).flatMap((delta) => (delta.incident === undefined ? [] : [delta.incident?.id ?? null]));
    expect(new Set(incidentsSent)).toEqual(new Set([null]));
  });

  it('reports dual-active when both servers serve', async () => {
    await x.lab.setState('secondary', 'serving');
    await x.waitForHq('dual-active');
    await x.lab.setState('secondary', 'stopped');
    await x.waitForHq('primary-active');
  });

  it('counts a hung primary (accepts, never answers) as not serving', async () => {
    await x.lab.setState('primary', 'hung');
    await x.waitForHq('failing-over');
    await x.lab.setState('primary', 'serving');
    await x.waitForHq('primary-active');
  });
});

describe('the witness', () => {
  let x: LabApp;
  beforeAll(async () => {
    x = await startLabApp(72, { intervalMs: INTERVAL, failAfter: FAIL_AFTER });
    await x.waitForHq('primary-active');
    // Let any incident from the start-up verdicts close before the witness goes.
    await eventually(() => x.t.app.monitor.current().incident === null, 10_000, 'the start-up incident to close');
  });
  afterAll(() => x.close());

  it('a failing witness gives monitor-blind and opens no incident, even with the primary gone too', async () => {
    expect(x.t.app.monitor.current().incident).toBeNull();
    await x.lab.setState('witness', 'down');
    await x.lab.setState('primary', 'down');
    await x.waitForHq('monitor-blind');
    const blind = x.t.app.monitor.current();
    expect(blind.incident).toBeNull();
    expect(blind.monitor.healthy).toBe(false);
    expect(blind.sites.every((s) => Object.values(s.services).every((v) => v.status === 'unknown' || v.status === 'n/a'))).toBe(true);
    await x.lab.setState('primary', 'serving');
    await x.lab.setState('witness', 'serving');
    await x.waitForHq('primary-active');
    expect(x.seen.map((s) => s.state)).not.toContain('failing-over');
  });
});

describe('a flapping primary', () => {
  let x: LabApp;
  beforeAll(async () => {
    x = await startLabApp(73, { intervalMs: INTERVAL, failAfter: FAIL_AFTER });
    await x.waitForHq('primary-active');
  });
  afterAll(() => x.close());

  it('is reported as flapping, with at most 2 HQ transitions in 21 rounds', async () => {
    const from = x.seen.length;
    const seqStart = x.t.app.monitor.current().seq;
    await x.lab.setState('primary', 'flapping', { periodMs: INTERVAL });
    await eventually(() => x.t.app.monitor.current().seq >= seqStart + 21, 30_000, '21 rounds');
    const transitions = x.seen.length - from;
    expect(transitions).toBeLessThanOrEqual(2);
    const primary = x.t.app.monitor.current().nodes.find((n) => n.id === 'primary');
    expect(primary?.flapping).toBe(true);
  });
});

describe('an event-loop stall', () => {
  let x: LabApp;
  beforeAll(async () => {
    x = await startLabApp(74, { intervalMs: INTERVAL, failAfter: FAIL_AFTER });
    await x.waitForHq('primary-active');
  });
  afterAll(() => x.close());

  it('a 3 s synchronous stall produces no failed round and no transition', async () => {
    const before = x.t.app.monitor.current();
    const seenBefore = x.seen.length;
    // Stall in the middle of a round, when probes are in flight.
    await new Promise((r) => setTimeout(r, INTERVAL / 2));
    const end = Date.now() + 3_000;
    while (Date.now() < end) {
      /* a synchronous stall, as a long GC pause or a blocking call would cause */
    }
    const seq = x.t.app.monitor.current().seq;
    await eventually(() => x.t.app.monitor.current().seq >= seq + 5, 10_000, 'five rounds after the stall');
    const after = x.t.app.monitor.current();
    expect(x.seen.length).toBe(seenBefore);
    expect(after.hq.state).toBe(before.hq.state);
    expect(after.nodes.map((n) => [n.id, n.status])).toEqual(before.nodes.map((n) => [n.id, n.status]));
    // No node's raw history recorded a failure because of the stall.
    expect(after.nodes.map((n) => n.since)).toEqual(before.nodes.map((n) => n.since));
    expect(x.t.app.monitor.stats().lateRounds).toBeGreaterThan(0);
  });
});

describe('a dead standby, over real sockets', () => {
  let x: LabApp;
  const events: HistoryEvent[] = [];
  beforeAll(async () => {
    x = await startLabApp(75, { intervalMs: INTERVAL, failAfter: FAIL_AFTER });
    x.t.app.monitor.onHistory((round) => events.push(...round));
    await x.waitForHq('primary-active');
  });
  afterAll(() => x.close());

  it('a stopped secondary (host answering, services refusing) is a ready standby; a dead one is not, and subscribers hear of it', async () => {
    await eventually(() => x.t.app.monitor.current().hq.standby === 'ready', 10_000, 'a ready standby');
    expect(x.t.app.monitor.current().nodes.find((n) => n.id === 'secondary')?.status).toBe('reachable');
    await x.lab.setState('secondary', 'down');
    await eventually(() => x.t.app.monitor.current().hq.standby === 'not-ready', 10_000, 'the standby lost');
    const state = x.t.app.monitor.current();
    expect(state.hq).toMatchObject({ state: 'primary-active', standbyId: 'secondary', window: null });
    expect(state.nodes.find((n) => n.id === 'secondary')?.status).toBe('down');
    // The probes of a dead host time out: no refusal, no answer.
    expect(state.nodes.find((n) => n.id === 'secondary')?.probes.every((p) => !p.ok && /timeout/.test(p.error ?? ''))).toBe(true);
    expect(events.filter(isStandbyLost)).toMatchObject([
      { standbyId: 'secondary', from: 'ready', to: 'not-ready', hqState: 'primary-active' },
    ]);
  });

  it('the primary stopping then gives hq-down, no failover possible, and no address for anyone', async () => {
    await x.lab.setState('primary', 'stopped');
    await x.waitForHq('hq-down');
    const state = x.t.app.monitor.current();
    expect(state.hq).toMatchObject({
      cause: 'target-down',
      activeAddress: null,
      targetAddress: null,
      window: { kind: 'outage', overrun: false },
    });
    expect(state.hq.window).not.toHaveProperty('estimate');
    expect(state.sites.every((s) => s.callManagerAddress === null)).toBe(true);
    expect(x.seen.map((s) => s.state)).not.toContain('failing-over');
  });

  it("the secondary's host coming back resumes the failover in the same window, which completes as a failover", async () => {
    const startedAt = x.t.app.monitor.current().hq.window?.startedAt;
    await x.lab.setState('secondary', 'stopped');
    await x.waitForHq('failing-over');
    const resumed = x.t.app.monitor.current();
    expect(resumed.hq).toMatchObject({ window: { kind: 'failover', startedAt }, targetAddress: x.config.headquarters.secondary.address });
    expect(resumed.hq.window?.estimate).toMatchObject({ basis: 'vendor' });
    await x.lab.setState('secondary', 'serving');
    await x.waitForHq('secondary-active');
    await eventually(() => events.some((e) => e.type === 'window-closed'), 5_000, 'the window to close');
    expect(events.filter((e) => e.type === 'window-closed')).toMatchObject([{ kind: 'failover', startedAt }]);
    await x.lab.setState('primary', 'serving');
    await x.lab.setState('secondary', 'stopped');
    await x.waitForHq('primary-active');
  });
});
