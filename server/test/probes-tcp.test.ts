import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../src/probes/index.ts';

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

  it('times out on a listener whose accept queue is full', async (context) => {
    // The listener runs in a stopped child process, so nothing accepts: once its backlog is full the
    // kernel drops further SYNs and the connect hangs. Some network stacks (gVisor) accept anyway.
    const host = '127.77.1.3';
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('net').createServer().listen({ host: '${host}', port: 0, backlog: 0 }, function () { console.log(this.address().port) })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fillers: net.Socket[] = [];
    try {
      const listenPort = await new Promise<number>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(Number(String(data)))));
      child.kill('SIGSTOP');
      for (let i = 0; i < 8; i++) {
        const socket = net.connect(listenPort, host);
        socket.on('error', () => {});
        fillers.push(socket);
      }
      const probe = { kind: 'tcp', host, port: listenPort, role: 'service', timeout: 300 } as const;
      // Give the fillers time to occupy the queue; a probe that still connects means it never fills.
      let outcome = await runProbe(probe, null, 300);
      for (let attempt = 0; outcome.ok && attempt < 3; attempt++) outcome = await runProbe(probe, null, 300);
      if (outcome.ok) context.skip('this network stack completes handshakes without an accepting listener');
      expect(outcome).toMatchObject({ ok: false, latencyMs: null, error: 'timeout after 300 ms' });
    } finally {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    }
  });
});
