import { defineStore } from 'pinia';
import { computed, markRaw, nextTick, onScopeDispose, ref, shallowRef } from 'vue';
import { decodeState, type LiveState, type WireDelta, type WireState } from '@hqwatch/shared';
import { isContractMismatch, otherContract, reloadForContract } from './contract.ts';
import { wordReason } from './reasons.ts';
import { socket } from './socket.ts';
import { stepDelta } from './sync.ts';
import { LatencyHistory } from './latency.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** How long a `state:sync` may stay unanswered before it is asked again. */
const SYNC_TIMEOUT_MS = 5_000;
/** Used for staleness until the server has said how often it probes. */
const DEFAULT_INTERVAL_MS = 2_000;

/** Marked once the first state is on screen; the client benchmark reads it. */
export const FIRST_STATE_MARK = 'hqwatch:first-state';

/**
 * The live state from the server, kept in step with `state:changed` deltas. A delta that does not
 * follow the last seq, and every (re)connection, asks for a full snapshot with `state:sync`. Both
 * come in the socket's compact wire form; reasons are worded here, each sentence once.
 *
 * The state is held in a shallow ref: it is replaced as a whole on every update and its arrays (500
 * sites) never become deep reactive proxies. Unchanged sites and nodes keep their identity across
 * deltas, so components showing them are not re-rendered.
 */
export const useLiveStore = defineStore('live', () => {
  const state = shallowRef<LiveState | null>(null);
  const connection = ref<ConnectionStatus>('connecting');
  /** Client clock (ms) of the last state or delta applied. */
  const lastUpdateAt = ref<number | null>(null);
  /** Server clock minus client clock, from the last update's `at`. */
  const offsetMs = ref(0);
  const disconnectedAt = ref<number | null>(null);
  const reconnectAttempt = ref(0);
  const resyncCount = ref(0);
  const latency = markRaw(new LatencyHistory());
  /** Bumped whenever `latency` gets samples, for what draws it. */
  const latencyVersion = ref(0);
  const intervalMs = computed(() => state.value?.monitor.intervalMs ?? DEFAULT_INTERVAL_MS);

  let syncing = false;
  /** Acks of an earlier connection are dropped: their snapshot may be older than what followed. */
  let generation = 0;

  function accept(next: LiveState): void {
    const first = state.value === null;
    const receivedAt = Date.now();
    state.value = next;
    lastUpdateAt.value = receivedAt;
    const serverAt = Date.parse(next.at);
    if (!Number.isNaN(serverAt)) offsetMs.value = serverAt - receivedAt;
    latency.record(next.nodes);
    latencyVersion.value += 1;
    if (first) void nextTick(() => performance.mark(FIRST_STATE_MARK));
  }

  function sync(): void {
    if (syncing || !socket.connected) return;
    syncing = true;
    const asked = generation;
    resyncCount.value += 1;
    socket.timeout(SYNC_TIMEOUT_MS).emit('state:sync', (err, snapshot) => {
      if (asked !== generation) return;
      syncing = false;
      if (err) sync();
      else onSnapshot(snapshot);
    });
  }

  /** The full state in its wire form: another contract version reloads the page rather than misread it. */
  function onSnapshot(snapshot: WireState): void {
    if (otherContract(snapshot)) {
      reloadForContract();
      return;
    }
    accept(decodeState(snapshot, wordReason));
  }

  function onDelta(delta: WireDelta): void {
    // A snapshot is on its way and covers everything sent before it.
    if (syncing) return;
    const step = stepDelta(state.value, delta);
    if (step.kind === 'apply') accept(step.state);
    else if (step.kind === 'resync') sync();
  }

  function onConnect(): void {
    connection.value = 'live';
    disconnectedAt.value = null;
    reconnectAttempt.value = 0;
    generation += 1;
    syncing = false;
    sync();
  }

  function onDisconnect(reason: string): void {
    connection.value = 'reconnecting';
    disconnectedAt.value = Date.now();
    generation += 1;
    syncing = false;
    // The server closing the socket on purpose stops automatic reconnection; a monitor must come back.
    if (reason === 'io server disconnect') socket.connect();
  }

  function onReconnectAttempt(attempt: number): void {
    reconnectAttempt.value = attempt;
  }

  /** The server refused the handshake: this build speaks another contract version. */
  function onConnectError(err: Error): void {
    if (isContractMismatch(err)) reloadForContract();
  }

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('state:changed', onDelta);
  socket.io.on('reconnect_attempt', onReconnectAttempt);
  socket.connect();

  onScopeDispose(() => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('state:changed', onDelta);
    socket.io.off('reconnect_attempt', onReconnectAttempt);
    socket.disconnect();
  });

  return {
    state,
    connection,
    lastUpdateAt,
    offsetMs,
    disconnectedAt,
    reconnectAttempt,
    resyncCount,
    latency,
    latencyVersion,
    intervalMs,
  };
});
