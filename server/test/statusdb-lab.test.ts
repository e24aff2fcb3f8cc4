/**
 * The lab driving a real `shorewarestatus` database while it plays a failover, the real monitor
 * reading it: switches of HQ-homed sites lose communication in the window and come back one by
 * one under the secondary; history, replay and exports keep the re-homing, on both store backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rehomingTimeline,
  validateConfig,
  type HqwatchConfig,
  type IncidentDetail,
  type IncidentList,
  type LiveState,
  type SiteView,
} from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { startStatusDbDriver, type StatusDbDriver } from '../src/lab/status-db-driver.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { checkService, mariadbDatabases, type MariadbDatabases } from './support/services.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

// Loopback octet 51 (127.51.x.y) for this file.
const OCTET = 51;
const SPEED = 60; // one switch re-homes every 60 s / 60 = 1 s of the test's own clock
const maria = await checkService('mariadb');

describe.skipIf(!maria.available)('real MariaDB', () => {
  describeStores('the lab drives the status database through a failover', (backend) => {
    let db: MariadbDatabases;
    let lab: Lab;
    let driver: StatusDbDriver;
    let config: HqwatchConfig;
    let place: StorePlace;
    let t: TestApp | null = null;
    /** The driver's clock: stepped by the test, so re-homing never races the monitor's debounce. */
    let clockMs = Date.now();

    /** Starts the app on the store, resuming from what it holds, as `serve` does. */
    const startApp = async () => {
      const store = await place.open();
      t = await startTestApp(config, { store, resume: await store.loadLatestCore() });
    };
    const url = () => t!.url;
    const state = async () => (await (await fetch(`${url()}/api/state`)).json()) as LiveState;
    const site = (s: LiveState, id: string): SiteView => s.sites.find((x) => x.id === id)!;
    const until = (check: (s: LiveState) => boolean, what: string, ms = 15_000) =>
      eventually(async () => ((s) => (check(s) ? s : false))(await state()), ms, what);

    beforeAll(async () => {
      db = mariadbDatabases();
      place = await backend.place();
      const topology = smallTopology(OCTET);
      lab = await startLab(topology);
      driver = await startStatusDbDriver({ lab, url: db.url, speed: SPEED, tickMs: 0, now: () => clockMs });
      expect(driver.names).toEqual({ status: db.status, config: db.config });
      const checked = validateConfig(
        labConfig(topology, lab, {
          intervalMs: 250,
          timeoutMs: 200,
          failAfter: 2,
          recoverAfter: 2,
          expectedWindow: { minMs: 5_000, maxMs: 60_000 },
          statusDb: { url: db.url, configDatabase: db.config, intervalMs: 250, timeoutMs: 200 },
        }),
      );
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      config = checked.config;
      await startApp();
    });
    afterAll(async () => {
      await t?.close();
      await driver?.close();
      await lab?.close();
      await db?.drop();
      await place?.cleanup();
    });

    it('shows switches lost in the failover window and re-homing under the secondary, kept in history', async () => {
      const normal = await until((s) => s.hq.state === 'primary-active' && s.statusDb?.status === 'ok', 'primary-active and a read');
      for (const id of ['hq', 'chicago', 'boston', 'austin']) expect(site(normal, id).switches).toMatchObject({ total: 2, inService: 2 });
      expect(normal.nodes.find((n) => n.id === 'primary')!.services!.every((s) => s.running)).toBe(true);
      expect(normal.nodes.find((n) => n.id === 'secondary')!.services!.every((s) => !s.running)).toBe(true);

      await lab.setState('primary', 'stopped');
      await driver.tick();
      const window = await until(
        (s) => s.hq.state === 'failing-over' && site(s, 'hq').switches?.lost === 2,
        'HQ switches lost in the window',
      );
      expect(site(window, 'hq').switches!.worst).toEqual({ code: 490, text: 'lost communication' });
      expect(site(window, 'chicago').switches!.lost).toBe(2);
      // Switches of sites on a distributed server stay managed, as the vendor says of their users.
      expect(site(window, 'boston').switches).toMatchObject({ total: 2, inService: 2 });
      expect(window.sites.every((s) => s.contradiction === undefined)).toBe(true);
      const during = window.at;

      await lab.setState('secondary', 'serving');
      await driver.tick();
      await until((s) => s.hq.state === 'secondary-active', 'secondary-active');
      // HQ-managed switches come back one a second (test clock): sw-hq-1, sw-hq-2, sw-chicago-1, sw-chicago-2.
      for (const inService of [1, 2, 3, 4]) {
        clockMs += 1_000;
        await driver.tick();
        await until((s) => site(s, 'hq').switches!.inService + site(s, 'chicago').switches!.inService === inService, `${inService} back`);
      }
      const back = await until(
        (s) => ['hq', 'chicago'].every((id) => site(s, id).switches?.inService === 2),
        'every switch back in service',
      );
      expect(back.nodes.find((n) => n.id === 'secondary')!.services!.every((s) => s.running)).toBe(true);

      const list = (await (await fetch(`${url()}/api/incidents`)).json()) as IncidentList;
      const incident = list.incidents[0]!;
      const detail = (await (await fetch(`${url()}/api/incidents/${incident.id}`)).json()) as IncidentDetail;
      const timeline = rehomingTimeline(detail.switchChanges!);
      const hq = timeline.find((s) => s.siteId === 'hq')!;
      expect(hq.firstLostAt).not.toBeNull();
      expect(hq.allBackAt).not.toBeNull();
      // Read on its own interval, the loss may come a round before the debounced HQ state moves.
      for (const sw of hq.switches) {
        const seen = sw.intervals.filter((i) => i.from !== null);
        expect(seen.map((i) => i.code)).toEqual([490, 110]);
        expect(['primary-active', 'failing-over']).toContain(seen[0]!.hqState);
        expect(['failing-over', 'secondary-active']).toContain(seen[1]!.hqState);
      }
      // The last to re-home does so under the secondary, as the monitor sees it.
      const chicago = timeline.find((s) => s.siteId === 'chicago')!;
      expect(chicago.switches.find((s) => s.switch === 'sw-chicago-2')!.intervals.at(-1)).toMatchObject({
        code: 110,
        hqState: 'secondary-active',
      });
      // They re-home one after another, in the order the lab gives them.
      const backAt = (id: string, name: string) =>
        Date.parse(
          timeline
            .find((s) => s.siteId === id)!
            .switches.find((s) => s.switch === name)!
            .intervals.at(-1)!.from!,
        );
      expect(backAt('hq', 'sw-hq-1')).toBeLessThan(backAt('chicago', 'sw-chicago-2'));
      expect(detail.switchChanges!.some((e) => e.siteId === 'boston')).toBe(false);

      // Replay of a moment in the window shows the switches as they were then.
      const replay = (await (
        await fetch(`${url()}/api/incidents/${incident.id}/replay?at=${encodeURIComponent(during)}`)
      ).json()) as LiveState;
      expect(site(replay, 'hq').switches).toMatchObject({ total: 2, lost: 2, worst: { code: 490 } });
      expect(site(replay, 'boston').switches).toMatchObject({ total: 2, inService: 2 });
      expect(replay.statusDb?.status).toBe('ok');

      // Exports carry them.
      const csv = await (await fetch(`${url()}/api/incidents/${incident.id}/export?format=csv`)).text();
      expect(csv.split('\r\n')[0]!.endsWith(',switch')).toBe(true);
      expect(csv).toMatch(/,switch-status,[^,]*,,hq,,490,110,.*in service.*,sw-hq-1\r\n/);
      const md = await (await fetch(`${url()}/api/incidents/${incident.id}/export?format=md`)).text();
      expect(md).toContain('### Switches (ShoreWare status database)');
      // Times as the postmortem says them: "08:01:06 UTC" (dated when not on the incident's first day).
      const time = String.raw`(?:\d+ [A-Z][a-z]+ )?\d\d:\d\d:\d\d UTC`;
      expect(md).toMatch(
        new RegExp(
          String.raw`\| Headquarters \| sw-hq-1 \| in service before to ${time}; lost communication from ${time} to ${time} .*; in service from ${time} onwards`,
        ),
      );
      // Left out with the appendix.
      const short = await (await fetch(`${url()}/api/incidents/${incident.id}/export?format=md&appendix=0`)).text();
      expect(short).not.toContain('### Switches (ShoreWare status database)');
      const json = JSON.parse(await (await fetch(`${url()}/api/incidents/${incident.id}/export?format=json`)).text()) as IncidentDetail;
      expect(json.switchChanges!.length).toBe(detail.switchChanges!.length);
    });

    it('a restart records only real changes, not every switch again', async () => {
      /** Switch changes recorded, read with the store closed (SQLite holds its file exclusively). */
      const count = async () => {
        const closed = await place.openBackend();
        try {
          return (await closed.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM switch_changes'))?.n ?? 0;
        } finally {
          await closed.close();
        }
      };
      await t!.close();
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await startApp();
      const read = await until((s) => s.statusDb?.status === 'ok' && s.sites.every((x) => x.switches?.total === 2), 'a read after restart');
      // The switches' `since` is what history says, not the restart.
      expect(Date.parse(site(read, 'hq').switches!.since)).toBeLessThan(Date.parse(read.statusDb!.since));
      await t!.close();
      t = null;
      expect(await count()).toBe(before);
      await startApp();
    });
  });
});
