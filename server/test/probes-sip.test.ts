import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe, type ProbeOutcome } from '../src/probes/index.ts';
import { answer, sipReply, sipServer, type Listener, type SipHandler } from './probes-listeners.ts';

/** One SIP listener per behaviour, each on its own loopback address. */
const behaviours: Record<string, { host: string; handler: SipHandler }> = {
  ok: { host: '127.77.3.1', handler: answer(200, 'OK') },
  unavailable: { host: '127.77.3.2', handler: answer(503, 'Service Unavailable') },
  garbage: {
    host: '127.77.3.3',
    handler: (_r, from, socket) => socket.send(Buffer.from([0, 159, 146, 150, 255]), from.port, from.address),
  },
  truncated: {
    host: '127.77.3.4',
    handler: (request, from, socket) => socket.send(sipReply(request, 200, 'OK').slice(0, 60), from.port, from.address),
  },
  shortBody: {
    host: '127.77.3.5',
    handler: (request, from, socket) =>
      socket.send(sipReply(request, 200, 'OK').replace('Content-Length: 0', 'Content-Length: 300'), from.port, from.address),
  },
  silent: { host: '127.77.3.6', handler: () => {} },
  trying: {
    host: '127.77.3.7',
    handler: (request, from, socket) => {
      socket.send(sipReply(request, 100, 'Trying'), from.port, from.address);
      setTimeout(() => socket.send(sipReply(request, 200, 'OK'), from.port, from.address), 20);
    },
  },
  notFound: { host: '127.77.3.8', handler: answer(404, 'Not Found') },
};

describe('sip probe', () => {
  const listeners: Listener[] = [];
  const ports: Record<string, number> = {};
  const received: Record<string, string[]> = {};
  let impostor: dgram.Socket;

  beforeAll(async () => {
    for (const [name, { host, handler }] of Object.entries(behaviours)) {
      const listener = await sipServer(host, handler);
      listeners.push(listener);
      ports[name] = listener.port;
      received[name] = listener.requests;
    }
    impostor = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => impostor.bind(0, '127.77.3.20', resolve));
  });
  afterAll(async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
    impostor.close();
  });

  const probe = (name: string, extra: { acceptCodes?: number[] } = {}): Promise<ProbeOutcome> =>
    runProbe({ kind: 'sip', port: ports[name], acceptCodes: extra.acceptCodes ?? [200], role: 'service' }, behaviours[name].host, 500);

  it.each([
    { name: 'ok', expected: { ok: true } },
    { name: 'trying', expected: { ok: true } },
    { name: 'unavailable', expected: { ok: false, error: 'SIP 503 Service Unavailable' } },
    { name: 'notFound', expected: { ok: false, error: 'SIP 404 Not Found' } },
    { name: 'garbage', expected: { ok: false, error: expect.stringMatching(/^malformed SIP reply: not a SIP status line/) } },
    { name: 'truncated', expected: { ok: false, error: 'malformed SIP reply: truncated: no blank line after the headers' } },
    { name: 'shortBody', expected: { ok: false, error: 'malformed SIP reply: truncated: body has 0 of 300 bytes' } },
    { name: 'silent', expected: { ok: false, error: 'timeout after 500 ms' } },
  ])('judges the $name listener', async ({ name, expected }) => {
    const outcome = await probe(name);
    expect(outcome).toMatchObject({ kind: 'sip', target: `${behaviours[name].host}:${ports[name]}`, ...expected });
    expect(outcome.latencyMs === null).toBe(!expected.ok);
  });

  it('accepts the codes the probe lists', async () => {
    expect(await probe('notFound', { acceptCodes: [200, 404] })).toMatchObject({ ok: true });
    expect(await probe('ok', { acceptCodes: [404] })).toMatchObject({ ok: false, error: 'SIP 200 OK' });
  });

  it('sends an RFC 3261 OPTIONS request', async () => {
    received.ok.length = 0;
    await probe('ok');
    const [request] = received.ok;
    expect(request).toMatch(new RegExp(`^OPTIONS sip:127\\.77\\.3\\.1:${ports.ok} SIP/2\\.0\\r\\n`));
    expect(request).toMatch(/\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK\w+;rport\r\n/);
    expect(request).toMatch(/\r\nFrom: .*;tag=\w+\r\n/);
    expect(request).toMatch(/\r\nCall-ID: \S+\r\n/);
    expect(request).toMatch(/\r\nMax-Forwards: 70\r\n/);
    expect(request.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('ignores a reply from another address, even one naming the right Call-ID', async () => {
    // The silent listener never answers; an impostor answers in its place with a perfect 200.
    const listener = await sipServer('127.77.3.9', (request) => {
      const [, port] = /Via: SIP\/2\.0\/UDP [\d.]+:(\d+)/.exec(request) ?? [];
      impostor.send(sipReply(request, 200, 'OK'), Number(port), '127.0.0.1');
    });
    try {
      const outcome = await runProbe({ kind: 'sip', port: listener.port, acceptCodes: [200], role: 'service' }, '127.77.3.9', 400);
      expect(listener.requests).toHaveLength(1);
      expect(outcome).toMatchObject({ ok: false, error: 'timeout after 400 ms' });
    } finally {
      await listener.close();
    }
  });

  it('ignores a reply from the right address but another port', async () => {
    const host = '127.77.3.10';
    const otherPort = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => otherPort.bind(0, host, resolve));
    const listener = await sipServer(host, (request, from) => otherPort.send(sipReply(request, 200, 'OK'), from.port, from.address));
    try {
      const outcome = await runProbe({ kind: 'sip', port: listener.port, acceptCodes: [200], role: 'service' }, host, 400);
      expect(outcome).toMatchObject({ ok: false, error: 'timeout after 400 ms' });
    } finally {
      await listener.close();
      otherPort.close();
    }
  });

  it('matches concurrent replies to their own probes by Call-ID', async () => {
    const names = ['ok', 'unavailable', 'notFound', 'trying'];
    const runs = Array.from({ length: 200 }, (_, i) => names[i % names.length]);
    const outcomes = await Promise.all(runs.map((name) => probe(name)));
    outcomes.forEach((outcome, i) => expect(outcome.ok, runs[i]).toBe(runs[i] === 'ok' || runs[i] === 'trying'));
    expect(outcomes.filter((o) => o.error === 'SIP 503 Service Unavailable')).toHaveLength(50);
  });

  it('a closed port on a live host is refused (its ICMP port-unreachable), which shows the host is up', async () => {
    const host = '127.77.3.11';
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    const outcome = await runProbe({ kind: 'sip', port, acceptCodes: [200], role: 'service' }, host, 500);
    expect(outcome).toMatchObject({ ok: false, error: 'connection refused (port unreachable)', hostAnswered: true, latencyMs: null });
  });

  it.each([
    ['unavailable', true],
    ['garbage', true],
    ['silent', undefined],
  ] as const)('the %s listener: the host answered is %s', async (name, answered) => {
    expect((await probe(name)).hostAnswered).toBe(answered);
  });

  it('fails on a host name that does not resolve', async () => {
    const outcome = await runProbe({ kind: 'sip', host: 'nohost.invalid', port: 5441, acceptCodes: [200], role: 'service' }, null, 500);
    expect(outcome).toMatchObject({ ok: false, target: 'nohost.invalid:5441', error: 'host not found: nohost.invalid' });
  });
});
