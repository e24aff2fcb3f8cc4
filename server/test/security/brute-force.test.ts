// Brute force of the operator token. Loopback octet 26 (scripted probes, a real store).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { eventually, startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { rawRequest } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = 'the-real-operator-token-26';
const PROXY = '127.26.0.100';

let t: TestApp;
let dir: string;
let incidentId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-brute-'));
  const config = testConfig(26, { auth: { operatorTokens: [TOKEN] }, http: { trustProxy: [PROXY] } });
  const probes = scriptedProbes();
  t = await startTestApp(config, {
    runProbe: probes.run,
    store: await openStore({ dataDir: dir, retentionDays: 90, checkpointIntervalMs: 60_000 }),
  });
  probes.set(config.headquarters.primary.address, false);
  incidentId = await eventually(() => t.app.monitor.current().incident?.id, 10_000, 'an incident');
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function annotate(token: string, from: string, headers: Record<string, string> = {}) {
  return rawRequest(t.url, `/api/incidents/${incidentId}/annotations`, {
    method: 'POST',
    localAddress: from,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ text: 'a note' }),
  });
}

describe('guessing the operator token', () => {
  it('locks an address out after 5 wrong tokens: even the right one is refused then, with Retry-After', async () => {
    const from = '127.26.1.1';
    for (let i = 0; i < 5; i++) expect((await annotate(`guess-number-${i}-xxxxxxxx`, from)).status).toBe(401);
    const locked = await annotate(TOKEN, from);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(200);
    expect(JSON.parse(locked.body)).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('does not lock out another address', async () => {
    expect((await annotate(TOKEN, '127.26.1.2')).status).toBe(201);
  });

  it('cannot escape the lockout by writing X-Forwarded-For: it is ignored unless a trusted proxy sent it', async () => {
    const from = '127.26.1.3';
    for (let i = 0; i < 5; i++) {
      const res = await annotate(`guess-number-${i}-xxxxxxxx`, from, { 'x-forwarded-for': `10.9.${i}.1` });
      expect(res.status).toBe(401);
    }
    expect((await annotate(TOKEN, from, { 'x-forwarded-for': '10.9.99.1' })).status).toBe(429);
  });

  it('behind a trusted proxy, counts the client the proxy names, not the proxy', async () => {
    for (let i = 0; i < 5; i++)
      expect((await annotate(`guess-number-${i}-xxxxxxxx`, PROXY, { 'x-forwarded-for': '192.0.2.7' })).status).toBe(401);
    expect((await annotate(TOKEN, PROXY, { 'x-forwarded-for': '192.0.2.7' })).status).toBe(429);
    // Another client behind the same proxy is not locked out; one that claims a spoofed first hop is
    // counted by the address the proxy appended.
    expect((await annotate(TOKEN, PROXY, { 'x-forwarded-for': '192.0.2.8' })).status).toBe(201);
    expect((await annotate(TOKEN, PROXY, { 'x-forwarded-for': '192.0.2.8, 192.0.2.7' })).status).toBe(429);
  });

  it('does not count a request without a token as a guess', async () => {
    const from = '127.26.1.4';
    for (let i = 0; i < 8; i++) {
      const res = await rawRequest(t.url, `/api/incidents/${incidentId}/annotations`, {
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json' },
        body: '{"text":"x"}',
      });
      expect(res.status).toBe(401);
    }
    expect((await annotate(TOKEN, from)).status).toBe(201);
  });
});

describe('a short HQWATCH_OPERATOR_TOKEN', () => {
  it('refuses to start, saying how long it must be', () => {
    const data = mkdtempSync(path.join(tmpdir(), 'hqwatch-brute-cli-'));
    const file = path.join(data, 'hqwatch.yaml');
    writeFileSync(file, JSON.stringify({ headquarters: testConfigRaw() }));
    const run = spawnSync(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', file, '--port', '0', '--data', data], {
      cwd: ROOT,
      env: { ...process.env, HQWATCH_OPERATOR_TOKEN: 'short-token', HQWATCH_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    rmSync(data, { recursive: true, force: true });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('HQWATCH_OPERATOR_TOKEN must be at least 16 characters (it has 11)');
    expect(run.stderr).not.toContain('short-token');
  });
});

/** The HQ pair of a config whose probes go nowhere (the server never gets to probe them). */
function testConfigRaw() {
  return {
    primary: { name: 'HQ primary', address: '127.26.1.10', probes: [{ kind: 'tcp', port: 4308 }] },
    secondary: { name: 'HQ secondary', address: '127.26.2.10', probes: [{ kind: 'tcp', port: 4308 }] },
  };
}
