import { createAdapter } from '@socket.io/redis-streams-adapter';
import { applyDelta, type LiveState, type StateDelta } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';

export interface FanoutOptions {
  url: string;
  prefix: string;
  log: Logger;
}

/** The exact Redis names a deployment sees (documented in the README, "Running more than one"). */
export function fanoutKeys(prefix: string) {
  return {
    /** String: the leader's whole live state (JSON, with its seq), set each round. */
    state: `${prefix}:live`,
    /** Pub/sub channel: each change (a StateDelta as JSON), published after the state is set. */
    changes: `${prefix}:live:changes`,
    /** socket.io's Redis Streams adapter: the dashboards' deltas to every node (stream and channels). */
    socketio: `${prefix}:socket.io`,
  };
}

export interface FanoutStatus {
  ok: boolean;
  problem: string | null;
  /** When Redis was last lost (ISO), or null. */
  lostAt: string | null;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The live state through Redis: the leader sets it and publishes each change; every other node
 * follows it (`onState`) and reads it whole when it joins, or when a change does not follow the
 * last one. Reconnects by itself (0.1 s to 1 s); `onReconnect` tells the node to have its
 * dashboards resync. Commands fail at once while Redis is away (no offline queue): a node says it
 * is cut off instead of queueing.
 */
export async function createRedisFanout(opts: FanoutOptions) {
  const { createClient } = await import('redis');
  const keys = fanoutKeys(opts.prefix);
  const status: FanoutStatus = { ok: false, problem: 'connecting to Redis', lostAt: null };
  const stateListeners = new Set<(state: LiveState, delta?: StateDelta) => void>();
  const reconnectListeners = new Set<() => void>();
  const options = {
    url: opts.url,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 1_000) },
  };
  const client = createClient(options);
  const sub = client.duplicate();
  // The adapter's own client keeps the offline queue: its stream reader retries at once on an
  // error, which without the queue would spin while Redis is away; with it, a read waits for Redis.
  const adapterClient = createClient({ ...options, disableOfflineQueue: false });
  adapterClient.on('error', () => undefined);
  let everReady = false;
  let subReady = false;
  let held: LiveState | null = null;

  function lost(err: unknown): void {
    if (status.ok) {
      status.lostAt = new Date().toISOString();
      opts.log.warn({ err: message(err) }, 'Redis lost: this node is cut off from the live state');
    }
    status.ok = false;
    status.problem = `Redis unreachable (${message(err)}): this node is cut off from the leader's live updates`;
  }

  async function readState(): Promise<LiveState | null> {
    const text = await client.get(keys.state);
    return text ? (JSON.parse(text) as LiveState) : null;
  }

  /** Reads the whole state after (re)connecting: true once read (null included), false when the read failed. */
  async function catchUp(): Promise<boolean> {
    try {
      const state = await readState();
      if (state && (!held || state.seq > held.seq)) {
        held = state;
        for (const listener of stateListeners) listener(state);
      }
      return true;
    } catch {
      return false;
    }
  }

  let catching = false;
  /**
   * Both connections up: the state is read whole before the node says it follows again, so its
   * REST answers and its dashboards' resync are never older than what Redis holds (read again
   * shortly when the read fails).
   */
  function ready(): void {
    if (!client.isReady || !subReady || catching) return;
    catching = true;
    void catchUp().then((read) => {
      catching = false;
      if (!read) {
        setTimeout(ready, 100).unref();
        return;
      }
      const again = everReady && !status.ok;
      everReady = true;
      status.ok = true;
      status.problem = null;
      if (again) {
        opts.log.info('Redis back: dashboards of this node resync');
        for (const listener of reconnectListeners) listener();
      }
    });
  }

  for (const c of [client, sub]) {
    c.on('error', lost);
    c.on('end', () => lost(new Error('connection closed')));
  }
  client.on('ready', ready);
  sub.on('ready', () => {
    subReady = true;
    ready();
  });
  sub.on('error', () => (subReady = false));

  const onChange = (text: string) => {
    let delta: StateDelta;
    try {
      delta = JSON.parse(text) as StateDelta;
    } catch {
      return;
    }
    if (held && delta.seq <= held.seq) return;
    if (held && delta.seq === held.seq + 1) {
      const state = applyDelta(held, delta);
      held = state;
      for (const listener of stateListeners) listener(state, delta);
      return;
    }
    // Only the whole state is trusted across a gap: read it.
    void readState()
      .then((state) => {
        if (!state || (held && state.seq <= held.seq)) return;
        held = state;
        for (const listener of stateListeners) listener(state, state.seq === delta.seq ? delta : undefined);
      })
      .catch(lost);
  };

  const connecting = Promise.all([
    client.connect(),
    adapterClient.connect(),
    sub.connect().then(() => sub.subscribe(keys.changes, onChange)),
  ]);
  // A node starts even when Redis does not answer yet; it says so until it does.
  await Promise.race([connecting.catch(lost), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
  ready();

  return {
    keys,
    status: (): FanoutStatus => ({ ...status }),
    /** The socket.io adapter: deltas emitted on any node reach the dashboards of every node. */
    adapter: () =>
      createAdapter(client, { streamName: keys.socketio, channelPrefix: keys.socketio, onlyPlaintext: true, blockTimeInMs: 1_000 }),
    /** The leader: sets the state, then announces the change. Fails silently while Redis is away (health says so). */
    publish(state: LiveState, delta: StateDelta): void {
      if (!status.ok) return;
      held = state;
      void client.multi().set(keys.state, JSON.stringify(state)).publish(keys.changes, JSON.stringify(delta)).exec().catch(lost);
    },
    readState,
    onState(listener: (state: LiveState, delta?: StateDelta) => void): void {
      stateListeners.add(listener);
      if (held) listener(held);
    },
    onReconnect(listener: () => void): void {
      reconnectListeners.add(listener);
    },
    async close(): Promise<void> {
      await Promise.allSettled([sub.disconnect(), client.disconnect(), adapterClient.disconnect()]);
    },
  };
}

export type RedisFanout = Awaited<ReturnType<typeof createRedisFanout>>;
