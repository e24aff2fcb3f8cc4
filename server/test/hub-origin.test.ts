import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProbes } from './support/fake-probes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { connectDashboard, type DashboardSocket } from './support/socket.ts';

type ClientSocket = DashboardSocket;

function tryConnect(url: string, transport: 'polling' | 'websocket', origin?: string): Promise<'connected' | string> {
  const socket: ClientSocket = connectDashboard(url, {
    transports: [transport],
    reconnection: false,
    timeout: 3000,
    extraHeaders: origin ? { Origin: origin } : {},
  });
  return new Promise((resolve) => {
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

describe('the socket.io handshake', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(testConfig(41, { http: { allowedOrigins: ['https://noc.example'] } }), { runProbe: scriptedProbes().run });
  });
  afterAll(() => t.close());

  it.each(['polling', 'websocket'] as const)('refuses a foreign Origin over %s', async (transport) => {
    expect(await tryConnect(t.url, transport, 'https://evil.example')).not.toBe('connected');
  });

  it.each(['polling', 'websocket'] as const)('accepts the same origin over %s', async (transport) => {
    expect(await tryConnect(t.url, transport, t.url)).toBe('connected');
  });

  it.each(['polling', 'websocket'] as const)('accepts an origin listed in http.allowedOrigins over %s', async (transport) => {
    expect(await tryConnect(t.url, transport, 'https://noc.example')).toBe('connected');
  });

  it('refuses a look-alike origin on another port', async () => {
    const port = Number(new URL(t.url).port);
    expect(await tryConnect(t.url, 'polling', `http://127.0.0.1:${port + 1}`)).not.toBe('connected');
  });
});
