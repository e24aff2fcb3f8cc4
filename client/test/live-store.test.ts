import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { CONTRACT_MISMATCH, CONTRACT_VERSION, encodeState, type LiveState, type WireState } from '@hqwatch/shared';
import { hq, liveState } from './fixtures.ts';

type Handler = (...args: never[]) => void;

/** A socket double: records listeners and `state:sync` requests; the test plays the server. */
class FakeSocket {
  connected = false;
  handlers = new Map<string, Handler[]>();
  managerHandlers = new Map<string, Handler[]>();
  syncAcks: ((err: Error | null, state: WireState) => void)[] = [];
  io = {
    on: (event: string, handler: Handler) => this.managerHandlers.set(event, [...(this.managerHandlers.get(event) ?? []), handler]),
    off: () => undefined,
  };
  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off() {
    return this;
  }
  connect() {
    return this;
  }
  disconnect() {
    return this;
  }
  timeout() {
    return { emit: (_event: 'state:sync', ack: (err: Error | null, state: WireState) => void) => this.syncAcks.push(ack) };
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) (handler as (...a: unknown[]) => void)(...args);
  }
  serverConnects() {
    this.connected = true;
    this.fire('connect');
  }
  serverDrops() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
}

const fake = vi.hoisted(() => ({ socket: null as unknown as FakeSocket, reloads: 0 }));
vi.mock('../src/state/socket.ts', () => ({
  get socket() {
    return fake.socket;
  },
}));
// The page is not reloaded here: the live store's asking for it is recorded.
vi.mock('../src/state/contract.ts', async (original) => ({
  ...(await original<typeof import('../src/state/contract.ts')>()),
  reloadForContract: () => {
    fake.reloads += 1;
    return 'now';
  },
}));

const { useLiveStore } = await import('../src/state/live.store.ts');

describe('live store: the state held in step with the server', () => {
  beforeEach(() => {
    fake.socket = new FakeSocket();
    fake.reloads = 0;
    setActivePinia(createPinia());
  });

  function connectedWith(state: LiveState) {
    const store = useLiveStore();
    fake.socket.serverConnects();
    fake.socket.syncAcks.shift()!(null, encodeState(state));
    return store;
  }

  it('asks for a snapshot on connecting and shows it', () => {
    const store = useLiveStore();
    expect(store.connection).toBe('connecting');
    fake.socket.serverConnects();
    expect(store.connection).toBe('live');
    expect(fake.socket.syncAcks).toHaveLength(1);
    fake.socket.syncAcks[0]!(null, encodeState(liveState({ seq: 7 })));
    expect(store.state?.seq).toBe(7);
    expect(store.lastUpdateAt).not.toBeNull();
  });

  it('applies deltas that follow one another', () => {
    const store = connectedWith(liveState({ seq: 7 }));
    fake.socket.fire('state:changed', { seq: 8, at: '2026-11-25T10:00:02.000Z', hq: hq({ state: 'failing-over', activeAddress: null }) });
    expect(store.state?.hq.state).toBe('failing-over');
    expect(fake.socket.syncAcks).toHaveLength(0);
  });

  it('asks for a snapshot on a seq gap, drops deltas until it lands, then carries on from it', () => {
    const store = connectedWith(liveState({ seq: 7 }));
    fake.socket.fire('state:changed', { seq: 9, at: '2026-11-25T10:00:04.000Z' });
    expect(store.state?.seq).toBe(7);
    expect(fake.socket.syncAcks).toHaveLength(1);
    fake.socket.fire('state:changed', { seq: 10, at: '2026-11-25T10:00:06.000Z' });
    expect(fake.socket.syncAcks).toHaveLength(1);
    fake.socket.syncAcks.shift()!(null, encodeState(liveState({ seq: 10, hq: hq({ state: 'secondary-active' }) })));
    expect(store.state).toMatchObject({ seq: 10, hq: { state: 'secondary-active' } });
    fake.socket.fire('state:changed', { seq: 11, at: '2026-11-25T10:00:08.000Z' });
    expect(store.state?.seq).toBe(11);
  });

  it('asks again when a snapshot request times out', () => {
    const store = useLiveStore();
    fake.socket.serverConnects();
    fake.socket.syncAcks.shift()!(new Error('timeout'), undefined as never);
    expect(fake.socket.syncAcks).toHaveLength(1);
    fake.socket.syncAcks.shift()!(null, encodeState(liveState({ seq: 3 })));
    expect(store.state?.seq).toBe(3);
  });

  it('shows the connection lost, and takes a fresh snapshot on reconnecting even if seq went back', () => {
    const store = connectedWith(liveState({ seq: 500 }));
    fake.socket.serverDrops();
    expect(store.connection).toBe('reconnecting');
    expect(store.disconnectedAt).not.toBeNull();
    fake.socket.serverConnects();
    fake.socket.syncAcks.shift()!(null, encodeState(liveState({ seq: 1 })));
    expect(store.state?.seq).toBe(1);
    fake.socket.fire('state:changed', { seq: 2, at: '2026-11-25T10:00:02.000Z' });
    expect(store.state?.seq).toBe(2);
  });

  it('drops the answer to a snapshot asked on an earlier connection', () => {
    const store = useLiveStore();
    fake.socket.serverConnects();
    const stale = fake.socket.syncAcks.shift()!;
    fake.socket.serverDrops();
    fake.socket.serverConnects();
    fake.socket.syncAcks.shift()!(null, encodeState(liveState({ seq: 20 })));
    stale(null, encodeState(liveState({ seq: 5 })));
    expect(store.state?.seq).toBe(20);
  });

  it('records probe latencies for the sparklines and the server clock offset', () => {
    const store = connectedWith(liveState({ seq: 1, at: new Date(Date.now() + 30_000).toISOString() }));
    expect(store.latency.get('primary|tcp|10.1.0.10:4308')).toEqual([2]);
    expect(store.offsetMs).toBeGreaterThan(29_000);
    expect(store.offsetMs).toBeLessThan(31_000);
  });

  it('counts reconnection attempts for the connection status', () => {
    const store = useLiveStore();
    for (const handler of fake.socket.managerHandlers.get('reconnect_attempt') ?? []) (handler as (n: number) => void)(3);
    expect(store.reconnectAttempt).toBe(3);
  });

  it('reloads the page when the server refuses this build for another contract version', () => {
    const store = useLiveStore();
    fake.socket.fire('connect_error', Object.assign(new Error(CONTRACT_MISMATCH), { data: { contractVersion: CONTRACT_VERSION + 1 } }));
    expect(fake.reloads).toBe(1);
    fake.socket.fire('connect_error', new Error('timeout'));
    expect(fake.reloads).toBe(1);
    expect(store.state).toBeNull();
  });

  it('reloads rather than show a full state of another contract version', () => {
    const store = useLiveStore();
    fake.socket.serverConnects();
    fake.socket.syncAcks.shift()!(null, { ...encodeState(liveState({ seq: 4 })), contractVersion: CONTRACT_VERSION + 1 });
    expect(fake.reloads).toBe(1);
    expect(store.state).toBeNull();
  });

  it('words reasons from their codes', () => {
    const held = liveState({ seq: 2 });
    held.sites[0]!.services.voicemail = {
      status: 'down',
      reason: 'Voicemail for Hq is routed through HQ, which is failing over to HQ secondary',
      reasonCode: 'via',
      params: [['HQ', 'failing-over', 'HQ secondary']],
    };
    const store = connectedWith(held);
    expect(store.state?.sites[0]!.services.voicemail).toEqual(held.sites[0]!.services.voicemail);
  });
});
