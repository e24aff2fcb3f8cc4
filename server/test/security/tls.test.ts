// TLS: http probes verify certificates (a self-signed appliance, a man in the middle), and serve
// speaks HTTPS with http.tls. Loopback octet 33.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import selfsigned from 'selfsigned';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, type LiveState, type ProbeConfig, type WireState } from '@hqwatch/shared';
import { runProbe } from '../../src/probes/index.ts';
import { until } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const APPLIANCE = '127.33.1.10';

/** A self-signed certificate for `ip` (and localhost), made here. */
async function certificateFor(ip: string): Promise<{ cert: string; key: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'shoreware-appliance.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

function httpsServer(host: string, tls: { cert: string; key: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer(tls, (_req, res) => res.end('Director'));
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

let dir: string;
let appliance: { port: number; close(): Promise<void> };
let impostor: { port: number; close(): Promise<void> };
let caFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-tls-'));
  const real = await certificateFor(APPLIANCE);
  caFile = path.join(dir, 'appliance.pem');
  writeFileSync(caFile, real.cert);
  appliance = await httpsServer(APPLIANCE, real);
  // Someone else answering on the appliance's address with a certificate of their own.
  impostor = await httpsServer(APPLIANCE, await certificateFor(APPLIANCE));
});
afterAll(async () => {
  await appliance?.close();
  await impostor?.close();
  rmSync(dir, { recursive: true, force: true });
});

const probe = (port: number, tls?: { verify: boolean; ca?: string }): ProbeConfig => ({
  kind: 'http',
  url: `https://${APPLIANCE}:${port}/ShoreWareDirector/`,
  role: 'service',
  ...(tls ? { tls } : {}),
});

describe('an https probe of a self-signed appliance', () => {
  it('fails by default, saying the certificate is self-signed and which option trusts it', async () => {
    const outcome = await runProbe(probe(appliance.port), null, 2_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/self-signed/);
    expect(outcome.error).toContain('tls.ca');
    expect(outcome.error).toContain('verify: false');
    // The appliance answered (it spoke TLS): reachable, not down.
    expect(outcome.hostAnswered).toBe(true);
  });

  it('passes with tls.ca naming its certificate, or with verify: false', async () => {
    expect(await runProbe(probe(appliance.port, { verify: true, ca: caFile }), null, 2_000)).toMatchObject({ ok: true });
    expect(await runProbe(probe(appliance.port, { verify: false }), null, 2_000)).toMatchObject({ ok: true });
  });

  it('refuses a man in the middle: another certificate on the same address, with tls.ca set', async () => {
    const outcome = await runProbe(probe(impostor.port, { verify: true, ca: caFile }), null, 2_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^TLS: /);
  });

  it('says so when the CA file cannot be read, and check-config names the option', async () => {
    const missing = path.join(dir, 'missing.pem');
    expect(await runProbe(probe(appliance.port, { verify: true, ca: missing }), null, 2_000)).toMatchObject({
      ok: false,
      error: expect.stringContaining(`tls.ca: cannot read ${missing}`),
    });
    const file = path.join(dir, 'hqwatch.yaml');
    writeFileSync(
      file,
      JSON.stringify({
        headquarters: {
          primary: { name: 'P', address: APPLIANCE, probes: [{ kind: 'http', url: `https://${APPLIANCE}/`, tls: { ca: missing } }] },
          secondary: { name: 'S', address: '127.33.2.10', probes: [{ kind: 'tcp', port: 4308 }] },
        },
      }),
    );
    const run = spawnSync(process.execPath, ['bin/hqwatch.mjs', 'check-config', file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`headquarters.primary.probes[0].tls.ca: ${missing}: no such file`);
  });
});

describe('serve with http.tls', () => {
  let child: ChildProcess;
  let base = '';
  let ca = '';

  beforeAll(async () => {
    const mine = await certificateFor('127.0.0.1');
    ca = mine.cert;
    writeFileSync(path.join(dir, 'server.pem'), mine.cert);
    writeFileSync(path.join(dir, 'server.key'), mine.key);
    const file = path.join(dir, 'https.yaml');
    writeFileSync(
      file,
      JSON.stringify({
        monitor: { interval: '500ms', timeout: '300ms' },
        headquarters: {
          primary: { name: 'P', address: '127.33.1.20', probes: [{ kind: 'tcp', port: 4308 }] },
          secondary: { name: 'S', address: '127.33.2.20', probes: [{ kind: 'tcp', port: 4308 }] },
        },
        http: { tls: { cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key') } },
        auth: { anonymous: 'viewer' },
      }),
    );
    child = spawn(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', file, '--port', '0', '--data', path.join(dir, 'data')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (/"msg":"hqwatch listening"/.test(line)) base = (JSON.parse(line) as { url: string }).url;
    });
    await until(() => base !== '', 30_000, 'serve to listen');
  }, 60_000);
  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('listens on HTTPS and says so', () => {
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers the API over TLS, and the socket over wss', async () => {
    const state = await new Promise<LiveState>((resolve, reject) => {
      https
        .get(`${base}/api/state`, { ca }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(JSON.parse(body) as LiveState));
        })
        .on('error', reject);
    });
    expect(state.hq).toBeDefined();
    const socket = connect(base, { transports: ['websocket'], ca, reconnection: false, auth: { contractVersion: CONTRACT_VERSION } });
    const synced = await new Promise<WireState>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('connect', () => socket.emit('state:sync', resolve));
    });
    socket.close();
    expect(synced.seq).toBeGreaterThanOrEqual(0);
  });

  it('refuses plain HTTP on the same port', async () => {
    const answer = await fetch(base.replace('https:', 'http:') + '/api/state').then(
      (r) => r.status,
      () => 'refused',
    );
    expect(answer).not.toBe(200);
  });
});
