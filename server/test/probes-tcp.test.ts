import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../src/probes/index.ts';
import { openBlackHole } from '../src/lab/black-hole.ts';

const HOST = '127.77.1.1';
const CLOSED = '127.77.1.2';

describe('tcp probe', () => {
  let server: net.Server;
  let port: number;

  beforeAll(async () => {
    server = net.createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when the port accepts, with a measured latency', async () => {
    const outcome = await runProbe({ kind: 'tcp', port, role: 'service' }, HOST, 1_000);
    expect(outcome).toMatchObject({ kind: 'tcp', target: `${HOST}:${port}`, role: 'service', ok: true });
    expect(outcome.error).toBeUndefined();
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outcome.latencyMs).toBeLessThan(1_000);
  });

  it.each([
    { name: 'a closed port', probe: { kind: 'tcp', host: CLOSED, port: 4308, role: 'service' } as const, error: 'connection refused' },
    {
      name: 'a host name that does not resolve',
      probe: { kind: 'tcp', host: 'nohost.invalid', port: 4308, role: 'service' } as const,
      error: 'host not found: nohost.invalid',
    },
  ])('fails with a readable reason on $name', async ({ probe, error }) => {
    const outcome = await runProbe(probe, null, 1_000);
    expect(outcome).toMatchObject({ ok: false, latencyMs: null, error });
  });

  it('takes its host from the probe before the node', async () => {
    const outcome = await runProbe({ kind: 'tcp', host: HOST, port, role: 'service' }, CLOSED, 1_000);
    expect(outcome).toMatchObject({ ok: true, target: `${HOST}:${port}` });
  });

  it('fails, never throws, when there is no host at all', async () => {
    const outcome = await runProbe({ kind: 'tcp', port, role: 'service' }, null, 1_000);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/no host/) });
  });

  it('times out on a listener whose accept queue is full, and says the host did not answer', async () => {
    // The lab's black hole: a full accept queue that nothing drains drops every further SYN, as a
    // machine that is off would. No skip: the lab's `down` state depends on this.
    const host = '127.77.1.3';
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, host, resolve));
    const listenPort = (listener.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    const hole = await openBlackHole(host, [listenPort], []);
    try {
      const outcome = await runProbe({ kind: 'tcp', host, port: listenPort, role: 'service', timeout: 300 }, null, 300);
      expect(outcome).toMatchObject({ ok: false, latencyMs: null, error: 'timeout after 300 ms' });
      expect(outcome.hostAnswered).toBeUndefined();
    } finally {
      await hole.close();
    }
  });

  it('a refused connection is evidence that the host is up; a name that does not resolve is not', async () => {
    const refused = await runProbe({ kind: 'tcp', host: CLOSED, port: 4308, role: 'service' }, null, 1_000);
    expect(refused).toMatchObject({ ok: false, error: 'connection refused', hostAnswered: true });
    const unresolved = await runProbe({ kind: 'tcp', host: 'nohost.invalid', port: 4308, role: 'service' }, null, 1_000);
    expect(unresolved.hostAnswered).toBeUndefined();
  });
});
