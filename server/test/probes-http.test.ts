import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../src/probes/index.ts';
import { httpServer, hungTcp, tcpServer, waitFor, type Listener } from './probes-listeners.ts';

const HOST = '127.77.2.1';
const OTHER = '127.77.2.2';

describe('http probe', () => {
  const listeners: Listener[] = [];
  let base: string;
  let otherHits = 0;
  let endlessClosed = false;
  let hungPort: number;
  let garbagePort: number;
  let hangUpPort: number;

  beforeAll(async () => {
    const other = await httpServer(OTHER, (_req, res) => {
      otherHits++;
      res.end('followed');
    });
    const main = await httpServer(HOST, (req, res) => {
      switch (req.url) {
        case '/ok':
          return res.end('fine');
        case '/moved':
          return res.writeHead(302, { location: other.url }).end();
        case '/down':
          return res.writeHead(503).end('maintenance');
        case '/created':
          return res.writeHead(201).end();
        case '/endless': {
          // An endless body: only a client that stops reading lets this end.
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 120);
          const pump = (): void => {
            while (res.write(chunk));
          };
          res.on('drain', pump);
          res.on('close', () => (endlessClosed = true));
          return pump();
        }
        default:
          return res.writeHead(404).end();
      }
    });
    const hung = await hungTcp(HOST);
    const garbage = await tcpServer(HOST, (socket) => socket.end('NOT HTTP AT ALL\r\n\r\n'));
    const hangUp = await tcpServer(HOST, (socket) => socket.once('data', () => socket.destroy()));
    listeners.push(other, main, hung, garbage, hangUp);
    base = main.url;
    hungPort = hung.port;
    garbagePort = garbage.port;
    hangUpPort = hangUp.port;
  });
  afterAll(() => Promise.all(listeners.map((listener) => listener.close())));

  const http = (path: string, extra: { expectStatus?: number[]; timeout?: number } = {}) =>
    ({ kind: 'http', url: `${base}${path.replace(/^\//, '')}`, role: 'service', ...extra }) as const;

  it.each([
    { path: '/ok', expect: { ok: true } },
    { path: '/created', expect: { ok: true } },
    { path: '/moved', expect: { ok: true } },
    { path: '/down', expect: { ok: false, error: 'HTTP 503 Service Unavailable' } },
    { path: '/missing', expect: { ok: false, error: 'HTTP 404 Not Found' } },
  ])('judges $path by its status (2xx/3xx pass by default)', async ({ path, expect: expected }) => {
    const outcome = await runProbe(http(path), null, 1_000);
    expect(outcome).toMatchObject({ kind: 'http', target: `${base}${path.slice(1)}`, ...expected });
    expect(outcome.latencyMs === null).toBe(!expected.ok);
  });

  it.each([
    { path: '/created', expectStatus: [200], ok: false, error: 'HTTP 201 Created' },
    { path: '/moved', expectStatus: [200], ok: false, error: 'HTTP 302 Found' },
    { path: '/down', expectStatus: [200, 503], ok: true, error: undefined },
  ])('accepts only the listed codes when expectStatus is set ($path, $expectStatus)', async ({ path, expectStatus, ok, error }) => {
    const outcome = await runProbe(http(path, { expectStatus }), null, 1_000);
    expect(outcome.ok).toBe(ok);
    expect(outcome.error).toBe(error);
  });

  it('never follows a redirect to another host', async () => {
    const before = otherHits;
    const outcome = await runProbe(http('/moved'), null, 1_000);
    expect(outcome.ok).toBe(true);
    expect(otherHits).toBe(before);
  });

  it('stops reading an endless body as soon as the status is known', async () => {
    const started = performance.now();
    const outcome = await runProbe(http('/endless'), null, 2_000);
    expect(outcome.ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_500);
    await waitFor(() => endlessClosed, 5_000, 'the server to see the client leave');
  });

  it('times out on a server that accepts and never answers', async () => {
    const started = performance.now();
    const outcome = await runProbe({ kind: 'http', url: `http://${HOST}:${hungPort}/`, role: 'service' }, null, 300);
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, latencyMs: null, error: 'timeout after 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('uses the probe timeout before the default', async () => {
    const outcome = await runProbe({ kind: 'http', url: `http://${HOST}:${hungPort}/`, role: 'service', timeout: 150 }, null, 5_000);
    expect(outcome.error).toBe('timeout after 150 ms');
  });

  it.each([
    { name: 'a reply that is not HTTP', port: () => garbagePort, error: /^malformed HTTP reply: / },
    { name: 'a server that hangs up without replying', port: () => hangUpPort, error: /^connection closed without a reply$/ },
    { name: 'a closed port', port: () => 9, error: /^connection refused$/ },
  ])('fails with a readable reason on $name', async ({ port, error }) => {
    const outcome = await runProbe({ kind: 'http', url: `http://${HOST}:${port()}/`, role: 'service' }, null, 1_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(error);
    // Each of them came from the host: it is up, though the service is not.
    expect(outcome.hostAnswered).toBe(true);
  });

  it('any HTTP response shows the host is up, a time-out or a DNS failure does not', async () => {
    expect(await runProbe(http('/down'), null, 1_000)).toMatchObject({
      ok: false,
      hostAnswered: true,
    });
    const silent = await runProbe({ kind: 'http', url: `http://${HOST}:${hungPort}/`, role: 'service' }, null, 200);
    expect(silent.hostAnswered).toBeUndefined();
    const unresolved = await runProbe({ kind: 'http', url: 'http://nohost.invalid/', role: 'service' }, null, 1_000);
    expect(unresolved.hostAnswered).toBeUndefined();
  });

  it('fails on a host name that does not resolve', async () => {
    const outcome = await runProbe({ kind: 'http', url: 'http://nohost.invalid/ShoreWareDirector/', role: 'service' }, null, 1_000);
    expect(outcome).toMatchObject({
      ok: false,
      target: 'http://nohost.invalid/ShoreWareDirector/',
      error: 'host not found: nohost.invalid',
    });
  });
});
