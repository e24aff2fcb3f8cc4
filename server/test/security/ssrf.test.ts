// SSRF through probe targets and redirects, and the lab's loopback-only rule. Loopback octet 28.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@hqwatch/shared';
import { ScenarioPlayer, smallTopology, startControlApi, startLab } from '../../src/lab/index.ts';
import { startTestApp, eventually, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { httpServer, type Listener } from '../probes-listeners.ts';

const APPLIANCE = '127.28.1.10';
const ELSEWHERE = '127.28.9.9';

let t: TestApp;
let appliance: Listener;
let elsewhere: Listener;
let elsewhereHits = 0;

beforeAll(async () => {
  elsewhere = await httpServer(ELSEWHERE, (_req, res) => {
    elsewhereHits += 1;
    res.end('internal admin page');
  });
  appliance = await httpServer(APPLIANCE, (req, res) => {
    const to: Record<string, string> = {
      '/other-host': `http://${ELSEWHERE}:${elsewhere.port}/admin`,
      '/metadata': 'http://169.254.169.254/latest/meta-data/',
      '/file': 'file:///etc/passwd',
      '/same-host': `http://${APPLIANCE}:${elsewhere.port}/`,
    };
    const location = to[req.url ?? ''];
    if (location) res.writeHead(302, { location }).end();
    else res.writeHead(404).end();
  });
  const probe = (path: string, expectStatus?: number[]) => ({
    kind: 'http',
    url: `http://${APPLIANCE}:${appliance.port}${path}`,
    ...(expectStatus ? { expectStatus } : {}),
  });
  const config = testConfig(28, {
    headquarters: {
      primary: {
        name: 'HQ primary',
        address: APPLIANCE,
        probes: [probe('/other-host', [200]), probe('/metadata'), probe('/file'), probe('/same-host')],
      },
      secondary: { name: 'HQ secondary', address: '127.28.2.10', probes: [probe('/other-host')] },
    },
  });
  // The real probes: the point is what they connect to.
  t = await startTestApp(config);
});
afterAll(async () => {
  await t?.close();
  await appliance?.close();
  await elsewhere?.close();
});

describe('http probes and redirects', () => {
  it('never follow a redirect: no request reaches another host, the metadata address or a file', async () => {
    await eventually(() => t.app.monitor.stats().rounds >= 4, 10_000, 'four rounds');
    expect(elsewhereHits).toBe(0);
    const probes = t.app.monitor.current().nodes.find((n) => n.id === 'primary')!.probes;
    // Judged by the redirect itself: a failure where 200 is expected, a pass where 3xx is accepted.
    expect(probes[0]).toMatchObject({ ok: false, error: 'HTTP 302 Found' });
    expect(probes.slice(1).every((p) => p.ok)).toBe(true);
  });

  it('take only http and https URLs', () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:25/', 'ftp://10.1.0.10/', 'javascript:alert(1)', 'http:///no-host']) {
      const result = validateConfig({
        headquarters: {
          primary: { name: 'P', address: '10.1.0.10', probes: [{ kind: 'http', url }] },
          secondary: { name: 'S', address: '10.2.0.10', probes: [{ kind: 'tcp', port: 4308 }] },
        },
      });
      expect(result.ok, url).toBe(false);
    }
  });
});

describe('the lab', () => {
  it('refuses to simulate a server on an address outside 127.0.0.0/8', async () => {
    const topology = smallTopology(28);
    const nodes = topology.nodes.map((n) => (n.id === 'primary' ? { ...n, address: '10.1.0.10' } : n));
    await expect(startLab({ ...topology, nodes })).rejects.toThrow(/only uses 127\.0\.0\.0\/8/);
  });

  it('listens for control on 127.0.0.1 only: another address of this machine is refused', async () => {
    const lab = await startLab(smallTopology(28));
    const control = await startControlApi({ lab, player: new ScenarioPlayer(lab), port: 0 });
    try {
      expect(control.address).toBe('127.0.0.1');
      const refused = await new Promise<string>((resolve) => {
        const req = http.get({ host: '127.28.0.1', port: control.port, path: '/nodes', agent: false }, () => resolve('answered'));
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    } finally {
      await control.close();
      await lab.close();
    }
  });
});
