// Cross-site WebSocket hijacking and DNS rebinding. Loopback octet 23 (probes are scripted: no lab).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { pollingHandshake, pollingSession, rawRequest, rawWebSocket, CONNECT_PACKET, SEPARATOR } from './support.ts';

const EVIL = 'https://evil.example';

let t: TestApp;
let host: string;

beforeAll(async () => {
  const config = testConfig(23, {
    http: {
      allowedOrigins: ['https://noc.example'],
      allowedHosts: ['hqwatch.noc.example', '.wall.example'],
      publicUrl: 'https://status.example.com/hqwatch/',
    },
  });
  t = await startTestApp(config, { runProbe: scriptedProbes().run });
  host = new URL(t.url).host;
});
afterAll(() => t.close());

/** A polling session opened the way the dashboard opens one, joined to the default namespace. */
async function sameOriginSession() {
  const opened = await pollingHandshake(t.url, { Origin: t.url });
  if (!('sid' in opened)) throw new Error(`handshake refused: ${opened.refused.status}`);
  const session = pollingSession(t.url, opened.sid, { Origin: t.url });
  expect((await session.post(CONNECT_PACKET)).status).toBe(200);
  expect((await session.get()).body).toMatch(/^40/);
  return { sid: opened.sid, session };
}

describe('the socket handshake', () => {
  it('refuses a foreign Origin over polling, with a 403', async () => {
    const opened = await pollingHandshake(t.url, { Origin: EVIL });
    expect('refused' in opened && opened.refused.status).toBe(403);
  });

  it('refuses a foreign Origin on a WebSocket handshake', async () => {
    await expect(rawWebSocket(t.url, { headers: { Origin: EVIL } })).rejects.toThrow(/HTTP 403/);
  });

  it('accepts the origin of http.publicUrl and http.allowedOrigins, under a Host it knows', async () => {
    for (const [origin, hostHeader] of [
      ['https://status.example.com', 'status.example.com'],
      ['https://noc.example', host],
    ]) {
      const opened = await pollingHandshake(t.url, { Origin: origin!, Host: hostHeader! });
      expect('sid' in opened).toBe(true);
    }
  });
});

describe('a stolen session id', () => {
  it('cannot be upgraded to a WebSocket from a foreign page', async () => {
    const { sid, session } = await sameOriginSession();
    await expect(rawWebSocket(t.url, { sid, headers: { Origin: EVIL } })).rejects.toThrow(/HTTP 403/);
    // The session is still the victim's, on polling: its sync is answered there.
    expect((await session.post('421["state:sync"]')).status).toBe(200);
    // A broadcast of the live state may come before the answer: it is one of the packets polled next.
    const packets: string[] = [];
    for (let poll = 0; poll < 5 && !packets.some((p) => p.startsWith('431')); poll++) {
      packets.push(...(await session.get()).body.split(SEPARATOR));
    }
    expect(packets.find((p) => p.startsWith('431'))).toMatch(/^431\[\{"contractVersion":\d+,"seq"/);
  });

  it('is upgraded from the page that owns it (the control case)', async () => {
    const { sid } = await sameOriginSession();
    const ws = await rawWebSocket(t.url, { sid, headers: { Origin: t.url } });
    ws.send('2probe');
    expect(await ws.waitFor((f) => f === '3probe')).toBe('3probe');
    ws.close();
  });

  it('cannot be polled or posted to from a foreign page', async () => {
    const { sid } = await sameOriginSession();
    const foreign = pollingSession(t.url, sid, { Origin: EVIL });
    const read = await foreign.get();
    expect(read.status).toBe(403);
    expect(read.body).not.toContain('"seq"');
    expect((await foreign.post('421["state:sync"]')).status).toBe(403);
  });
});

describe('JSONP polling', () => {
  it('is refused, with or without an Origin (a <script> tag sends none)', async () => {
    for (const headers of [{}, { Origin: EVIL }, { Origin: t.url }] as Record<string, string>[]) {
      const res = await rawRequest(t.url, '/socket.io/?EIO=4&transport=polling&j=0', { headers });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('___eio');
    }
  });

  it('is refused for an existing session too', async () => {
    const { sid } = await sameOriginSession();
    const res = await rawRequest(t.url, `/socket.io/?EIO=4&transport=polling&sid=${sid}&j=0`);
    expect(res.status).toBe(403);
  });
});

describe('DNS rebinding: a page on a name the attacker controls, resolved to this server', () => {
  const rebound = (port: string) => ({ Host: `attacker.example:${port}`, Origin: `http://attacker.example:${port}` });

  it('reads neither /api/state nor /api/health nor /metrics', async () => {
    const port = new URL(t.url).port;
    for (const path of ['/api/state', '/api/health', '/metrics', '/']) {
      const res = await rawRequest(t.url, path, { headers: rebound(port) });
      expect(res.status, path).toBe(403);
      expect(res.body).not.toContain('"seq"');
      expect(res.body).not.toContain('hqwatch_hq_state');
    }
  });

  it('opens no socket, over polling or WebSocket', async () => {
    const port = new URL(t.url).port;
    const opened = await pollingHandshake(t.url, rebound(port));
    expect('refused' in opened && opened.refused.status).toBe(403);
    await expect(rawWebSocket(t.url, { headers: rebound(port) })).rejects.toThrow(/HTTP 403/);
  });

  it('still serves the names it is known by: loopback, IP literals, http.allowedHosts, http.publicUrl', async () => {
    const port = new URL(t.url).port;
    for (const name of [
      'localhost',
      '127.0.0.1',
      '[::1]',
      'hqwatch.noc.example',
      'wall.example',
      'tv3.wall.example',
      'status.example.com',
    ]) {
      const res = await rawRequest(t.url, '/api/state', { headers: { Host: `${name}:${port}` } });
      expect(res.status, name).toBe(200);
    }
    expect((await rawRequest(t.url, '/api/state', { headers: { Host: `evilwall.example:${port}` } })).status).toBe(403);
  });
});
