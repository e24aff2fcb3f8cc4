/**
 * The real server in a child process, killed with SIGKILL in the middle of a failover window and
 * started again on the same history (SQLite: the same data directory; PostgreSQL: the same schema):
 * the same incident and window continue, nothing committed is lost, and the time it was down is a gap.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncidentDetail, IncidentList, LiveState } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { eventually } from './support/app.ts';
import { getJson as json, serveProcess as serve, type ServeProcess as Server } from './support/serve-process.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

const OCTET = 57;
const INTERVAL = 300;

describeStores('kill -9 in the middle of a failover window', (backend) => {
  let lab: Lab;
  let configFile: string;
  let dataDir: string;
  let place: StorePlace;
  let server: Server | null = null;

  beforeAll(async () => {
    place = await backend.place();
    dataDir = path.join(place.dataDir, 'data');
    const topology = smallTopology(OCTET);
    lab = await startLab(topology);
    const settings = {
      intervalMs: INTERVAL,
      timeoutMs: 250,
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 60_000 },
    };
    configFile = path.join(place.dataDir, 'hqwatch.yaml');
    writeFileSync(configFile, JSON.stringify({ ...labConfig(topology, lab, settings), store: place.configStore }));
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await lab.close();
    await place.cleanup();
  });

  it('continues the same incident and window, loses nothing committed and records the time down as a gap', async () => {
    server = await serve(configFile, dataDir);
    const first = server.url;
    await eventually(async () => (await json<LiveState>(`${first}/api/state`)).hq.state === 'primary-active', 15_000, 'primary-active');

    await lab.setState('primary', 'stopped');
    const over = await eventually(
      async () => {
        const s = await json<LiveState>(`${first}/api/state`);
        return s.hq.state === 'failing-over' ? s : undefined;
      },
      15_000,
      'failing-over',
    );
    // A few more rounds inside the window, each committed before it was served.
    const seenBeforeKill = await eventually(
      async () => {
        const s = await json<LiveState>(`${first}/api/state`);
        return Date.parse(s.at) >= Date.parse(over.at) + 3 * INTERVAL ? s : undefined;
      },
      10_000,
      'rounds in the window',
    );
    const window = over.hq.window!;
    const incident = over.incident!;
    const committed = await json<IncidentDetail>(`${first}/api/incidents/${incident.id}`);

    server.child.kill('SIGKILL');
    expect(await server.exited).toBeNull();
    const killedAt = Date.now();

    server = await serve(configFile, dataDir);
    const second = server.url;
    const resumed = await json<LiveState>(`${second}/api/state`);
    expect(resumed.incident).toEqual(incident);
    expect(resumed.hq.window).toMatchObject({ kind: 'failover', startedAt: window.startedAt });

    const during = await eventually(
      async () => {
        const s = await json<LiveState>(`${second}/api/state`);
        return Date.parse(s.at) > killedAt ? s : undefined;
      },
      10_000,
      'a round after the restart',
    );
    expect(during.hq.state).toBe('failing-over');
    expect(during.hq.window).toMatchObject({ startedAt: window.startedAt });
    expect(during.hq.window!.elapsedMs).toBe(Date.parse(during.at) - Date.parse(window.startedAt));

    await lab.setState('secondary', 'serving');
    await eventually(
      async () => (await json<LiveState>(`${second}/api/state`)).hq.state === 'secondary-active',
      15_000,
      'secondary-active',
    );

    const list = await json<IncidentList>(`${second}/api/incidents`);
    expect(list.incidents.map((i) => i.id)).toEqual([incident.id]);
    const [failover] = list.incidents[0]!.windows;
    expect(failover).toMatchObject({ kind: 'failover', startedAt: window.startedAt });
    expect(failover!.endedAt).not.toBeNull();
    expect(failover!.durationMs).toBe(Date.parse(failover!.endedAt!) - Date.parse(window.startedAt));

    const detail = await json<IncidentDetail>(`${second}/api/incidents/${incident.id}`);
    const gaps = detail.timeline.filter((e) => e.type === 'monitor-gap');
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    if (gap.type !== 'monitor-gap') throw new Error('not a gap');
    // The gap runs from the last round the first life committed to the first round of the second.
    expect(Date.parse(gap.from)).toBeGreaterThanOrEqual(Date.parse(seenBeforeKill.at));
    expect(Date.parse(gap.from)).toBeLessThanOrEqual(killedAt);
    expect(Date.parse(gap.to)).toBeGreaterThanOrEqual(killedAt);
    // Everything the first life committed is there, once.
    for (const entry of committed.timeline) expect(detail.timeline).toContainEqual(entry);
    const kinds = detail.timeline.map((e) => e.type);
    expect(kinds.filter((k) => k === 'incident-opened')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'window-opened')).toHaveLength(1);
    expect(detail.timeline.find((e) => e.type === 'hq-transition' && e.to === 'failing-over')).toMatchObject({ at: window.startedAt });
    expect(kinds.indexOf('monitor-gap')).toBeGreaterThan(kinds.indexOf('window-opened'));
    expect(kinds.indexOf('monitor-gap')).toBeLessThan(kinds.indexOf('window-closed'));

    const availability = await json<{ gaps: { from: string; to: string }[] }>(
      `${second}/api/availability?from=${encodeURIComponent(window.startedAt)}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(availability.gaps).toContainEqual({ from: gap.from, to: gap.to });
  });
});
