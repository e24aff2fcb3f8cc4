/**
 * The socket's payloads: the contract version at the handshake, one encoding per change however
 * many dashboards listen, and the `state:sync` answer built once per seq. Loopback octet 33.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Encoder as SocketIoEncoder, PacketType } from 'socket.io-parser';
import { buildLiveState, CONTRACT_MISMATCH, CONTRACT_VERSION, decodeState, initialCore, type WireDelta } from '@hqwatch/shared';
import { OneFrameAdapter } from '../src/hub/adapter.ts';
import { hubParser, serializeOnce } from '../src/hub/parser.ts';
import { createWireFeed } from '../src/hub/wire-feed.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { connectDashboard, syncWire, type DashboardSocket } from './support/socket.ts';

function handshake(url: string, auth: Record<string, unknown>): Promise<{ connected: true } | { message: string; data: unknown }> {
  const socket = connectDashboard(url, { auth, reconnection: false });
  return new Promise((resolve) => {
    socket.on('connect', () => {
      socket.close();
      resolve({ connected: true });
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve({ message: err.message, data: (err as Error & { data?: unknown }).data });
    });
  });
}

describe('the hub parser', () => {
  const standard = new SocketIoEncoder();
  const ours = new hubParser.Encoder();

  it.each([
    ['an event', { type: PacketType.EVENT, nsp: '/', data: ['state:changed', { seq: 1, at: 'x', hq: { state: 'hq-down' } }] }],
    ['an ack', { type: PacketType.ACK, nsp: '/', id: 12, data: [{ seq: 2, sites: [{ id: 'a', s: [0, 1] }], svc: [{ s: 'ok' }] }] }],
    ['an ack in a namespace', { type: PacketType.ACK, nsp: '/admin', id: 0, data: [{ seq: 3, note: 'é "quoted" \\ ' }] }],
  ])('writes %s served once exactly as socket.io writes it', (_, packet) => {
    const expected = standard.encode(packet);
    const cached = { ...packet, data: packet.data.map((d) => (typeof d === 'object' ? serializeOnce(structuredClone(d)) : d)) };
    expect(ours.encode(cached)).toEqual(expected);
    expect(ours.encode(packet)).toEqual(expected);
  });
});

describe('the hub adapter', () => {
  it('builds the WebSocket frame of a broadcast once, as one buffer a socket writes at once', () => {
    const encoder = new hubParser.Encoder();
    const nsp = { name: '/', server: { encoder }, sockets: new Map() };
    const adapter = new OneFrameAdapter(nsp as never) as unknown as { _encode(p: unknown, o: { wsPreEncodedFrame?: Buffer[] }): unknown[] };
    const options: { wsPreEncodedFrame?: Buffer[] } = {};
    const packet = { type: PacketType.EVENT, nsp: '/', data: ['state:changed', { seq: 1, at: 'now' }] };
    const [text] = adapter._encode(packet, options) as string[];
    expect(options.wsPreEncodedFrame).toHaveLength(1);
    const frame = options.wsPreEncodedFrame![0]!;
    const payload = Buffer.from(`4${text}`);
    // FIN + text opcode, unmasked length, then the engine.io message packet.
    expect(frame.subarray(0, 2)).toEqual(Buffer.from([0x81, payload.length]));
    expect(frame.subarray(2)).toEqual(payload);
  });
});

describe('the wire feed', () => {
  it('builds the full state once per seq', () => {
    const config = testConfig(33);
    const at = '2026-01-01T00:00:00.000Z';
    const build = (seq: number) => buildLiveState({ config, core: initialCore(config, at), now: at, seq, monitor: { healthy: true } });
    let state = build(1);
    const feed = createWireFeed({ current: () => state, subscribe: () => () => undefined });
    const first = feed.snapshot();
    expect(feed.snapshot()).toBe(first);
    expect(decodeState(first)).toEqual(state);
    state = build(2);
    expect(feed.snapshot()).not.toBe(first);
    expect(feed.snapshot().seq).toBe(2);
  });
});

describe('the hub', () => {
  let t: TestApp;
  const config = testConfig(33);
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: probes.run });
    await t.app.monitor.stop();
    for (let i = 0; i < 4 && t.app.monitor.current().hq.state !== 'primary-active'; i++) await t.app.monitor.runRound();
  });
  afterAll(() => t.close());

  it('tells a dashboard of another contract version, or of none, to reload, and lets this one in', async () => {
    for (const auth of [
      {},
      { contractVersion: 1 },
      { contractVersion: CONTRACT_VERSION + 1 },
      { contractVersion: String(CONTRACT_VERSION) },
    ])
      expect(await handshake(t.url, auth)).toEqual({ message: CONTRACT_MISMATCH, data: { contractVersion: CONTRACT_VERSION } });
    expect(await handshake(t.url, { contractVersion: CONTRACT_VERSION })).toEqual({ connected: true });
  });

  it('encodes a change once for every dashboard, and answers every state:sync of a seq with one encoding', async () => {
    const sockets: DashboardSocket[] = [];
    const received: WireDelta[][] = [];
    for (let i = 0; i < 12; i++) {
      const socket = connectDashboard(t.url);
      const mine: WireDelta[] = [];
      socket.on('state:changed', (d) => mine.push(d));
      received.push(mine);
      sockets.push(socket);
    }
    await Promise.all(sockets.map((s) => new Promise((resolve) => (s.connected ? resolve(null) : s.once('connect', () => resolve(null))))));
    const encode = hubParser.Encoder.prototype.encode;
    const stringified: string[] = [];
    const stringify = JSON.stringify;
    let encodes = 0;
    hubParser.Encoder.prototype.encode = function (this: InstanceType<typeof hubParser.Encoder>, packet) {
      if (packet.type === PacketType.EVENT || packet.type === PacketType.ACK) encodes += 1;
      return encode.call(this, packet);
    };
    // Count how often the full state is serialised: each would be a JSON.stringify of an object with `svc` and `contractVersion`.
    JSON.stringify = ((value: unknown, ...rest: []) => {
      if (typeof value === 'object' && value !== null && 'svc' in value && 'contractVersion' in value) stringified.push('snapshot');
      return stringify(value, ...rest);
    }) as typeof JSON.stringify;
    try {
      probes.set(config.headquarters.primary.address, false);
      await t.app.monitor.runRound();
      await eventually(() => received.every((r) => r.length === 1), 5_000, 'the change at every dashboard');
      expect(encodes).toBe(1);
      expect(new Set(received.map((r) => stringify(r[0])))).toHaveProperty('size', 1);
      encodes = 0;
      const answers = await Promise.all(sockets.map((s) => syncWire(s)));
      expect(encodes).toBe(sockets.length);
      expect(stringified).toEqual(['snapshot']);
      expect(new Set(answers.map((a) => stringify(a)))).toHaveProperty('size', 1);
      expect(answers[0]!.seq).toBe(t.app.monitor.current().seq);
    } finally {
      hubParser.Encoder.prototype.encode = encode;
      JSON.stringify = stringify;
      probes.set(config.headquarters.primary.address, true);
      for (const s of sockets) s.close();
    }
  });
});
