/**
 * `GET /api/sites`: the site directory the wall groups its map by (home server, voicemail server,
 * users, short name), from the config. Loopback octet 48 (scripted probes: nothing is probed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteDirectory } from '@hqwatch/shared';
import { scriptedProbes } from './support/fake-probes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';

describe('GET /api/sites', () => {
  let t: TestApp;
  const config = testConfig(48, {
    sites: [
      { id: 'hq', name: 'Headquarters', short: 'HQS', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
      { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'hq', drs: ['dvs-boston', 'hq'] },
    ],
  });
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: scriptedProbes({}).run });
    await t.app.monitor.stop();
  });
  afterAll(() => t.close());

  it('lists the home servers, HQ first, and every site with where its users and voicemail are homed', async () => {
    const res = await fetch(`${t.url}/api/sites`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const body = (await res.json()) as SiteDirectory;
    expect(body.groups).toEqual([
      { id: 'hq', name: 'HQ' },
      { id: 'dvs-boston', name: 'Boston DVS' },
    ]);
    expect(body.sites).toEqual([
      { id: 'hq', name: 'Headquarters', short: 'HQS', home: 'hq', voicemail: 'hq', userCount: 400 },
      { id: 'boston', name: 'Boston', home: 'dvs-boston', voicemail: 'hq' },
    ]);
  });

  it('refuses a short name longer than a tile holds', () => {
    expect(() => testConfig(48, { sites: [{ id: 'x', name: 'X', short: 'TOOLONG', users: 'hq', voicemail: 'hq' }] })).toThrow(
      /sites\[0\]\.short/,
    );
  });
});
