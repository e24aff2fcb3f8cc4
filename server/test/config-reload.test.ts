import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { watchConfig } from '../src/config/reload.ts';
import { createLogger } from '../src/logger.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';

const base = testConfig(43);
const raw = (extraSites: { id: string; name: string }[] = [], interval = '200ms') => ({
  monitor: { interval, timeout: '150ms', failAfter: 2, recoverAfter: 2 },
  headquarters: {
    primary: { name: 'HQ primary', address: base.headquarters.primary.address, probes: [{ kind: 'tcp', port: 4308 }] },
    secondary: { name: 'HQ secondary', address: base.headquarters.secondary.address, probes: [{ kind: 'tcp', port: 4308 }] },
  },
  sites: [
    { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq' },
    ...extraSites.map((s) => ({ ...s, users: 'hq', voicemail: 'hq' })),
  ],
});

describe('config reload', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let unwatch: () => void;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-reload-'));
    file = path.join(dir, 'hqwatch.yaml');
    writeFileSync(file, stringify(raw()));
    const probes = scriptedProbes({ [base.headquarters.secondary.address]: false });
    const { loadConfigFile } = await import('../src/config/load.ts');
    const loaded = await loadConfigFile(file);
    if (!loaded.ok) throw new Error('bad fixture');
    t = await startTestApp(loaded.config, { runProbe: probes.run });
    unwatch = watchConfig(file, loaded.config, (c) => t.app.setConfig(c), createLogger('silent'));
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
  });
  afterAll(async () => {
    unwatch();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a valid file when it changes and keeps the state of unchanged nodes', async () => {
    const primaryBefore = t.app.monitor.current().nodes.find((n) => n.id === 'primary')!;
    writeFileSync(file, stringify(raw([{ id: 'austin', name: 'Austin' }])));
    await eventually(() => t.app.monitor.current().sites.some((s) => s.id === 'austin'), 10_000, 'the new site');
    const primaryAfter = t.app.monitor.current().nodes.find((n) => n.id === 'primary')!;
    expect(primaryAfter.status).toBe('serving');
    expect(primaryAfter.since).toBe(primaryBefore.since);
    expect(t.app.monitor.current().hq.state).toBe('primary-active');
  });

  it('refuses an invalid file and keeps the running config', async () => {
    writeFileSync(file, 'monitor: { interval: soon }\n');
    // Give the watcher time to see it, then prove the old config still runs by a later valid change.
    await new Promise((r) => setTimeout(r, 600));
    expect(t.app.monitor.config().sites.map((s) => s.id)).toEqual(['hq', 'austin']);
    expect(t.app.monitor.current().hq.state).toBe('primary-active');
  });

  it('reloads on SIGHUP', async () => {
    writeFileSync(file, stringify(raw([{ id: 'denver', name: 'Denver' }], '250ms')));
    process.emit('SIGHUP', 'SIGHUP');
    await eventually(() => t.app.monitor.config().monitor.interval === 250, 10_000, 'the new interval');
    await eventually(() => t.app.monitor.current().monitor.intervalMs === 250, 10_000, 'a round under the new config');
    expect(t.app.monitor.current().sites.map((s) => s.id)).toEqual(['hq', 'denver']);
  });
});
