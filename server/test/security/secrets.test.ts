// Secrets never leave: a canary test against a real `hqwatch serve` watching a real lab. Loopback
// octet 27. Known secrets go into the config (a probe URL's password, an operator token) and the
// environment (an operator token, and the password of a MariaDB user made for the test that the
// monitor reads the status database as); then every route, export, socket frame, log line and the
// store's files are searched.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '@hqwatch/shared';
import { createApp } from '../../src/app.ts';
import { labConfig, smallTopology, startLab, type Lab } from '../../src/lab/index.ts';
import { startStatusDbDriver, type StatusDbDriver } from '../../src/lab/status-db-driver.ts';
import { createLogger } from '../../src/logger.ts';
import { openStore } from '../../src/store/store.ts';
import { fakeSelfHealth } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { checkService, MARIADB, mariadbConnection, mariadbDatabases, type MariadbDatabases } from '../support/services.ts';
import {
  pollingHandshake,
  pollingSession,
  rawRequest,
  rawWebSocket,
  until,
  type RawResponse,
  type RawSocket,
  CONNECT_PACKET,
} from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const canary = (name: string) => `canary${name}${randomBytes(8).toString('hex')}`;
const SECRETS = {
  probePassword: canary('Probe'),
  probeUser: canary('User'),
  configToken: canary('ConfigToken'),
  envToken: canary('EnvToken'),
  statusDbPassword: canary('StatusDb'),
};

// Without MariaDB (and without HQWATCH_REQUIRE_SERVICES=1) the status database is left out.
const maria = await checkService('mariadb');
/** The read-only user the monitor reads the status database as, with the canary password. */
const STATUS_DB_USER = `hqwatch_canary_${randomBytes(4).toString('hex')}`;

let lab: Lab;
let statusDb: { db: MariadbDatabases; driver: StatusDbDriver } | null = null;
let child: ChildProcess;
let base = '';
let dir: string;
const logs: string[] = [];
const responses: { what: string; text: string }[] = [];
let socket: RawSocket;

function record(what: string, res: RawResponse): RawResponse {
  responses.push({ what, text: `${JSON.stringify(res.headers)}\n${res.body}` });
  return res;
}

/** The paths and methods of every route the app serves, read from its routers. */
async function everyRoute(): Promise<{ method: string; path: string }[]> {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-routes-'));
  const store = await openStore({ dataDir: storeDir, retentionDays: 90, checkpointIntervalMs: 60_000 });
  const app = createApp({ config: testConfig(27), log: createLogger('silent'), selfHealth: fakeSelfHealth(), store });
  await app.close();
  rmSync(storeDir, { recursive: true, force: true });
  const routes: { method: string; path: string }[] = [];
  for (const mw of app.app.middleware as ((...args: unknown[]) => unknown)[]) {
    const router = (mw as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack)
      for (const method of layer.methods) if (method !== 'HEAD') routes.push({ method, path: String(layer.path) });
  }
  return routes;
}

beforeAll(async () => {
  lab = await startLab(smallTopology(27));
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-canary-'));
  const config = labConfig(lab.topology, lab, {
    intervalMs: 300,
    timeoutMs: 250,
    failAfter: 2,
    recoverAfter: 2,
    expectedWindow: { minMs: 5_000, maxMs: 20_000 },
  }) as { headquarters: { primary: { probes: Record<string, unknown>[] } } } & Record<string, unknown>;
  const primary = lab.endpoints('primary');
  config.headquarters.primary.probes.push({
    kind: 'http',
    url: `http://${SECRETS.probeUser}:${SECRETS.probePassword}@${primary.address}:${primary.ports.director}/ShoreWareDirector/`,
  });
  if (maria.available) {
    // The lab's status database (written as root), read by the monitor as a user whose password is the canary.
    const db = mariadbDatabases();
    const driver = await startStatusDbDriver({ lab, url: db.url, speed: 60 });
    statusDb = { db, driver };
    await asRoot([
      `CREATE USER '${STATUS_DB_USER}'@'%' IDENTIFIED BY '${SECRETS.statusDbPassword}'`,
      `GRANT SELECT ON \`${db.status}\`.* TO '${STATUS_DB_USER}'@'%'`,
      `GRANT SELECT ON \`${db.config}\`.* TO '${STATUS_DB_USER}'@'%'`,
    ]);
    config.statusDb = {
      url: `mysql://${STATUS_DB_USER}@${MARIADB.host}:${MARIADB.port}/${db.status}`,
      interval: '1s',
      connectTimeout: '800ms',
      queryTimeout: '800ms',
      schema: { configDatabase: db.config },
    };
  }
  // Anyone reads, as before accounts: the canary looks at every answer, not at who may ask.
  config.auth = { anonymous: 'viewer', operatorTokens: [SECRETS.configToken] };
  const file = path.join(dir, 'hqwatch.yaml');
  writeFileSync(file, JSON.stringify(config));
  child = spawn(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', file, '--port', '0', '--data', path.join(dir, 'data')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HQWATCH_LOG_LEVEL: 'debug',
      HQWATCH_OPERATOR_TOKEN: SECRETS.envToken,
      HQWATCH_STATUSDB_PASSWORD: SECRETS.statusDbPassword,
    },
  });
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${logs.join('')}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${logs.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const url = /"msg":"hqwatch listening"/.test(line) ? (JSON.parse(line) as { url: string }).url : null;
      if (url) {
        base = url;
        clearTimeout(timer);
        resolve();
      }
    });
  });
  socket = await rawWebSocket(base);
  socket.send(CONNECT_PACKET);
  await socket.waitFor((f) => f.startsWith('40{'));
}, 60_000);

afterAll(async () => {
  socket?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await statusDb?.driver.close();
  if (statusDb) await asRoot([`DROP USER IF EXISTS '${STATUS_DB_USER}'@'%'`]);
  await statusDb?.db.drop();
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function asRoot(statements: string[]): Promise<void> {
  const conn = await mariadbConnection();
  try {
    for (const sql of statements) await conn.query(sql);
  } finally {
    await conn.end();
  }
}

async function state(): Promise<LiveState> {
  return JSON.parse(record('GET /api/state', await rawRequest(base, '/api/state')).body) as LiveState;
}

describe('secrets in the config and the environment', () => {
  it('appear in no HTTP response of any route, no export, no socket frame, no log line and no stored file', async () => {
    // A failover, so there is an incident with windows, impact and notes to show and export.
    await until(async () => (await state()).hq.state === 'primary-active', 20_000, 'primary-active');
    // The password was really used: the monitor signed in to the status database with it and read it.
    if (statusDb) await until(async () => (await state()).statusDb?.status === 'ok', 20_000, 'a status database read');
    await lab.setState('primary', 'down');
    await until(async () => (await state()).incident !== null, 20_000, 'an incident');
    const incidentId = (await state()).incident!.id;
    for (const token of [SECRETS.envToken, SECRETS.configToken]) {
      const res = await rawRequest(base, `/api/incidents/${incidentId}/annotations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: 'primary lost: see the probe' }),
      });
      expect(record('annotate', res).status).toBe(201);
    }
    // The socket over polling too, with its sync answer.
    const opened = await pollingHandshake(base);
    if (!('sid' in opened)) throw new Error('handshake refused');
    const polling = pollingSession(base, opened.sid);
    await polling.post(CONNECT_PACKET);
    record('polling connect', await polling.get());
    await polling.post('421["state:sync"]');
    record('polling sync', await polling.get());
    socket.send('421["state:sync"]');
    await socket.waitFor((f) => f.startsWith('431'));
    await lab.setState('primary', 'serving');
    await until(async () => (await state()).hq.state === 'primary-active', 20_000, 'primary-active again');

    const detail = JSON.parse(record('detail', await rawRequest(base, `/api/incidents/${encodeURIComponent(incidentId)}`)).body) as {
      incident: { startedAt: string };
    };
    // Each route with its parameters filled in; the replay asked at a moment within the incident.
    const concrete = (route: string) =>
      route.replace(':id', encodeURIComponent(incidentId)) +
      (route.endsWith('/replay') ? `?at=${encodeURIComponent(detail.incident.startedAt)}` : '');
    const routes = await everyRoute();
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const { method, path: route } of routes) {
      if (method === 'GET') record(`GET ${route}`, await rawRequest(base, concrete(route)));
      else
        record(
          `${method} ${route}`,
          await rawRequest(base, concrete(route), { method, headers: { 'content-type': 'application/json' }, body: '{}' }),
        );
    }
    for (const format of ['json', 'csv', 'md'])
      record(`export ${format}`, await rawRequest(base, `/api/incidents/${encodeURIComponent(incidentId)}/export?format=${format}`));
    for (const p of ['/metrics', '/api/health', '/', '/incidents', '/nowhere', '/api/nowhere'])
      record(`GET ${p}`, await rawRequest(base, p));

    // The probe is there, under its redacted URL.
    const probes = (await state()).nodes.find((n) => n.id === 'primary')!.probes.map((p) => p.target);
    expect(probes).toContain(
      `http://***@${lab.endpoints('primary').address}:${lab.endpoints('primary').ports.director}/ShoreWareDirector/`,
    );

    // Stop the server so every log line and stored byte is written.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const stored = readdirSync(path.join(dir, 'data')).map((f) => ({
      what: `stored file ${f}`,
      text: readFileSync(path.join(dir, 'data', f)).toString('latin1'),
    }));

    const places = [
      ...responses,
      ...socket.frames.map((text, i) => ({ what: `socket frame ${i}`, text })),
      { what: 'logs', text: logs.join('\n') },
      ...stored,
    ];
    expect(responses.length).toBeGreaterThan(routes.length);
    expect(socket.frames.length).toBeGreaterThan(2);
    expect(logs.join('').length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(SECRETS)) {
      const leaks = places.filter((p) => p.text.includes(secret)).map((p) => p.what);
      expect(leaks, `${name} leaked`).toEqual([]);
    }
  }, 120_000);
});
