import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { watchConfig } from '../src/config/reload.ts';
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

/** What the watcher logged, as parsed JSON lines, so the test can wait on what it did. */
function capturedLogger() {
  const lines: { msg: string; reason?: string; errors?: string[] }[] = [];
  const log = pino({ level: 'info', base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('config reload', () => {
  const captured = capturedLogger();
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
    unwatch = watchConfig(file, loaded.config, (c) => t.app.setConfig(c), captured.log);
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

  it('refuses an invalid file, keeps the running config, and applies a later valid change', async () => {
    const refusals = () => captured.lines.filter((line) => line.msg === 'config refused; keeping the running config');
    const before = refusals().length;
    writeFileSync(file, 'monitor: { interval: soon }\n');
    const [refusal] = await eventually(() => refusals().length > before && refusals().slice(before), 10_000, 'the refusal');
    expect(refusal).toMatchObject({ reason: 'file changed' });
    expect(refusal!.errors!.some((error) => error.startsWith('monitor.interval:'))).toBe(true);
    expect(t.app.monitor.config().sites.map((s) => s.id)).toEqual(['hq', 'austin']);
    const rounds = t.app.monitor.stats().rounds;
    await eventually(() => t.app.monitor.stats().rounds >= rounds + 2, 10_000, 'two rounds after the refusal');
    expect(t.app.monitor.current().hq.state).toBe('primary-active');
    expect(t.app.monitor.current().sites.map((s) => s.id)).toEqual(['hq', 'austin']);

    // The watcher is still there after a refusal: the next valid file is applied.
    writeFileSync(file, stringify(raw([{ id: 'boston', name: 'Boston' }])));
    await eventually(() => t.app.monitor.current().sites.some((s) => s.id === 'boston'), 10_000, 'the later valid change');
    expect(t.app.monitor.config().sites.map((s) => s.id)).toEqual(['hq', 'boston']);
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
