import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '@hqwatch/shared';
import { scriptedProbes } from './support/fake-probes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';

/** Sends a request with the path exactly as given: fetch would normalise `..` away. */
function rawGet(url: string, rawPath: string): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP server', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'hqwatch-static-'));
    const clientDir = path.join(root, 'dist');
    mkdirSync(path.join(clientDir, 'assets'), { recursive: true });
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>hqwatch</title>');
    writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'package.json'), '{"secret":"outside the client build"}');
    t = await startTestApp(testConfig(40), { clientDir, runProbe: scriptedProbes().run });
    await t.app.monitor.runRound();
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers GET /api/state with the LiveState', async () => {
    const res = await fetch(`${t.url}/api/state`);
    expect(res.status).toBe(200);
    const state = (await res.json()) as LiveState;
    expect(state.seq).toBeGreaterThan(0);
    expect(state.nodes.map((n) => n.id)).toEqual(['primary', 'secondary', 'dvs-boston']);
    expect(state.sites.map((s) => s.id)).toEqual(['hq', 'boston']);
    expect(state.monitor.intervalMs).toBe(200);
  });

  it('answers GET /api/health with the monitor health', async () => {
    const res = await fetch(`${t.url}/api/health`);
    expect(res.status).toBe(200);
    const health = await res.json();
    expect(health).toMatchObject({
      status: expect.any(String),
      rounds: { rounds: expect.any(Number) },
      eventLoop: { p99Ms: expect.any(Number) },
    });
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('# TYPE hqwatch_hq_state gauge');
    expect(text).toMatch(/hqwatch_node_status\{node="primary",status="serving"\} [01]/);
    expect(text).toMatch(/hqwatch_standby\{standby="ready",server="(secondary)?"\} [01]/);
  });

  it('answers unknown API routes with a JSON 404 and no stack', async () => {
    const res = await fetch(`${t.url}/api/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('not_found');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves the client and falls back to index.html for client routes', async () => {
    const asset = await rawGet(t.url, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    for (const route of ['/', '/wall', '/incidents/inc-1']) {
      const page = await rawGet(t.url, route);
      expect(page.status, route).toBe(200);
      expect(page.body).toContain('<title>hqwatch</title>');
    }
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%252fpackage.json',
    '/assets/../../package.json',
    '/%2e%2e%2fpackage.json',
    '/..%5cpackage.json',
  ])('never serves a file outside the client build for %s', async (rawPath) => {
    const res = await rawGet(t.url, rawPath);
    expect(res.body).not.toContain('outside the client build');
    expect([200, 400, 403, 404]).toContain(res.status);
    if (res.status !== 200) expect(JSON.parse(res.body).error.code).toMatch(/^(bad_request|forbidden|not_found)$/);
  });

  it('answers a malformed URI with a JSON 400, not a stack trace', async () => {
    const res = await rawGet(t.url, '/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  });
});
