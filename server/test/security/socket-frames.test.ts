// Malformed, oversized and unexpected socket.io frames, and a fuzzer. Loopback octet 24 (scripted probes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveState, ServerToClientEvents } from '@hqwatch/shared';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../src/hub/limits.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { connectedSocket, pollingHandshake, pollingSession, rawRequest, rawWebSocket, SEPARATOR, until } from './support.ts';

const INTERVAL_MS = 300;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp(testConfig(24, { monitor: { interval: `${INTERVAL_MS}ms`, timeout: '200ms', failAfter: 2, recoverAfter: 2 } }), {
    runProbe: scriptedProbes().run,
  });
});
afterAll(() => t?.close());

/** A real dashboard client still connects and gets the snapshot. */
async function dashboardWorks(): Promise<void> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.url, { transports: ['websocket'], reconnection: false });
  const state = await new Promise<LiveState>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('connect', () => socket.emit('state:sync', resolve));
  });
  socket.close();
  expect(state.seq).toBeGreaterThan(0);
}

/** Deterministic randomness, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const EVENT_NAMES = [
  'state:sync',
  'state:changed',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'error',
  'disconnect',
  'x'.repeat(300),
  '',
];

/** One random frame: mostly near-valid socket.io packets with something wrong, some noise, some huge. */
function randomFrame(rnd: () => number): string | Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(rnd() * 0x2fff))).join('');
  switch (Math.floor(rnd() * 12)) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    case 1:
      return junk(Math.floor(rnd() * 40));
    case 2:
      return `42${Math.floor(rnd() * 1e6)}${JSON.stringify([pick(EVENT_NAMES), ...Array.from({ length: Math.floor(rnd() * 3) }, () => rnd())])}`;
    case 3:
      return `42["state:sync",${'['.repeat(Math.floor(rnd() * 400))}`;
    case 4:
      return `4${pick(['0', '1', '2', '3', '4', '5', '6', '7', '9'])}${pick(['', '/admin,', '/,', '-1', '1-', '999999999999999999999'])}${pick(['["state:sync"]', '{}', '[', '"x"', 'null', '[{"_placeholder":true,"num":0}]'])}`;
    case 5:
      return `45${Math.floor(rnd() * 3)}-["state:sync",{"_placeholder":true,"num":${Math.floor(rnd() * 5)}}]`;
    case 6:
      return `42["state:sync",{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]`;
    case 7:
      return `${pick(['0', '1', '2', '3', '5', '6', '7', 'b', ''])}${junk(Math.floor(rnd() * 8))}`;
    case 8:
      // Larger than the server takes: refused whole.
      return `42["state:sync","${'A'.repeat(MAX_CLIENT_MESSAGE_BYTES + Math.floor(rnd() * 10_000))}"]`;
    case 9:
      return `42${JSON.stringify([pick(EVENT_NAMES), junk(20)])}`;
    case 10:
      return `42[${'"state:sync",'.repeat(Math.floor(rnd() * 50))}"state:sync"]`;
    default:
      return `421["state:sync"]`;
  }
}

describe('the socket under a fuzzer', () => {
  it('survives 10,000+ random frames over raw WebSocket and polling: up, memory bounded, rounds on time', async () => {
    const rnd = random(0x5eed);
    const before = t.app.monitor.stats();
    const rssBefore = process.memoryUsage().rss;
    let wsFrames = 0;
    let pollFrames = 0;
    let reconnects = 0;

    // WebSocket: frames one by one; a connection the server closes is replaced.
    const wsFuzz = async () => {
      while (wsFrames < 7_000) {
        let socket;
        try {
          socket = await connectedSocket(t.url, {}, '127.24.0.7');
        } catch {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        reconnects += 1;
        let open = true;
        void socket.closed.then(() => (open = false));
        while (open && wsFrames < 7_000) {
          socket.send(randomFrame(rnd));
          wsFrames += 1;
          if (wsFrames % 50 === 0) await new Promise((r) => setImmediate(r));
        }
        socket.close();
      }
    };
    // Polling: payloads of a few frames each, text and junk.
    const pollFuzz = async () => {
      while (pollFrames < 4_000) {
        const opened = await pollingHandshake(t.url, {}, '', '127.24.0.8');
        if (!('sid' in opened)) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const session = pollingSession(t.url, opened.sid, {}, '127.24.0.8');
        for (let ok = true; ok && pollFrames < 4_000;) {
          const frames = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => {
            const f = randomFrame(rnd);
            return typeof f === 'string' ? f : f.toString('latin1');
          });
          pollFrames += frames.length;
          const res = await session.post(frames.join(SEPARATOR));
          ok = res.status === 200;
        }
      }
    };
    await Promise.all([wsFuzz(), pollFuzz()]);
    const after = t.app.monitor.stats();
    const rssGrowthMB = (process.memoryUsage().rss - rssBefore) / 1e6;
    console.log(
      `socket fuzzer: ${JSON.stringify({ wsFrames, pollFrames, wsConnections: reconnects, lateRounds: after.lateRounds - before.lateRounds, rounds: after.rounds - before.rounds, rssGrowthMB: Math.round(rssGrowthMB), guard: t.app.guardStats() })}`,
    );

    expect(wsFrames + pollFrames).toBeGreaterThanOrEqual(10_000);
    expect(after.lateRounds - before.lateRounds).toBe(0);
    expect(after.rounds - before.rounds).toBeGreaterThan(0);
    expect(rssGrowthMB).toBeLessThan(150);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await rawRequest(t.url, '/api/health')).status).toBe(200);
    await dashboardWorks();
  }, 120_000);
});

describe('what a socket may send', () => {
  it('drops unknown events and commands with arguments the contract does not have, and keeps the socket', async () => {
    const ws = await connectedSocket(t.url, {}, '127.24.0.9');
    for (const frame of [
      '421["admin:reload"]',
      '422["__proto__"]',
      '423["toString"]',
      '424["state:sync","extra"]',
      '425["state:sync",{"since":1}]',
      '42["state:sync"]',
    ])
      ws.send(frame);
    ws.send('426["state:sync"]');
    await ws.waitFor((f) => f.startsWith('436['));
    expect(ws.frames.filter((f) => /^43[1-5]\[/.test(f))).toEqual([]);
    expect(t.app.guardStats().dropped).toBeGreaterThanOrEqual(6);
    ws.close();
  });

  it('closes a WebSocket that sends a frame over the limit, and refuses such a polling POST', async () => {
    const ws = await connectedSocket(t.url, {}, '127.24.0.10');
    ws.send(`42["state:sync","${'A'.repeat(MAX_CLIENT_MESSAGE_BYTES)}"]`);
    expect((await ws.closed).code).toBe(1009);
    const opened = await pollingHandshake(t.url, {}, '', '127.24.0.10');
    if (!('sid' in opened)) throw new Error('handshake refused');
    const session = pollingSession(t.url, opened.sid, {}, '127.24.0.10');
    const big = await session.post(`42["state:sync","${'A'.repeat(MAX_CLIENT_MESSAGE_BYTES)}"]`);
    expect(big.status).toBe(413);
    await dashboardWorks();
  });

  it('disconnects a socket that keeps sending over its packet rate', async () => {
    const ws = await connectedSocket(t.url, {}, '127.24.0.11');
    let sent = 0;
    let open = true;
    void ws.closed.then(() => (open = false));
    while (open && sent < 5_000) {
      ws.send('42["nothing"]');
      sent += 1;
      if (sent % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => !open, 5_000, 'the server to close the flooding socket');
    expect(sent).toBeLessThan(5_000);
  });

  it('the largest message a real client sends is far below the limit (measured)', async () => {
    let largest = 0;
    const measure = (conn: { on(event: 'packet', fn: (p: { type: string; data?: unknown }) => void): void }) =>
      conn.on('packet', (p) => {
        const size = 1 + (typeof p.data === 'string' ? Buffer.byteLength(p.data) : 0);
        largest = Math.max(largest, size);
      });
    t.app.io.engine.on('connection', measure);
    // The dashboard's own options (client/src/state/socket.ts), a connect, an upgrade, syncs.
    for (const transports of [
      ['websocket', 'polling'],
      ['polling', 'websocket'],
    ] as const) {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.url, {
        transports: [...transports],
        tryAllTransports: true,
        reconnection: false,
        extraHeaders: { Origin: t.url },
      });
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      for (let i = 0; i < 3; i++) await new Promise<LiveState>((resolve) => socket.emit('state:sync', resolve));
      await until(() => socket.io.engine.transport.name === 'websocket', 5_000, 'the upgrade');
      socket.close();
    }
    t.app.io.engine.off('connection', measure);
    console.log(`largest message a socket.io client sent: ${largest} bytes (limit ${MAX_CLIENT_MESSAGE_BYTES})`);
    expect(largest).toBeGreaterThan(0);
    expect(largest * 20).toBeLessThan(MAX_CLIENT_MESSAGE_BYTES);
  });
});

describe('a WebSocket upgrade of another transport', () => {
  it('refuses an unknown transport and a bare upgrade without engine.io', async () => {
    const res = await rawRequest(t.url, '/socket.io/?EIO=4&transport=flashsocket');
    expect(res.status).toBe(400);
    await expect(rawWebSocket(t.url, { sid: 'not-a-session' })).rejects.toThrow(/HTTP 400/);
  });
});
