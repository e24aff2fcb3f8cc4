import { diffState, type LiveState, type StateDelta } from '@hqwatch/shared';
import type { LiveSource } from '../monitor/live-source.ts';

/**
 * The live state this instance serves (`/api/state`, `state:sync`, the hub's deltas): its own
 * monitor's while it leads, else the leader's as published (through Redis, or read from the
 * store). A remote state that does not follow the held one by exactly one seq is announced as the
 * delta from the held one with its seq: a dashboard holding anything else resyncs (seq rule).
 */
export function createLiveRelay(local: LiveSource) {
  let mode: 'local' | 'remote' = 'remote';
  let remote: LiveState | null = null;
  const listeners = new Set<(delta: StateDelta) => void>();
  const tell = (delta: StateDelta) => {
    for (const listener of listeners) listener(delta);
  };
  local.subscribe((delta) => {
    if (mode === 'local') tell(delta);
  });
  const current = (): LiveState => (mode === 'local' ? local.current() : (remote ?? local.current()));
  return {
    current,
    subscribe(listener: (delta: StateDelta) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The leader's state as just learnt; announced when newer than the one held. */
    setRemote(state: LiveState, delta?: StateDelta): void {
      const held = current();
      if (remote && state.seq <= remote.seq) return;
      remote = state;
      if (mode !== 'remote') return;
      tell(delta && delta.seq === state.seq && held.seq === state.seq - 1 ? delta : diffState(held, state));
    },
    /** The leader's state last learnt, if any (a new leader continues from it). */
    remote: (): LiveState | null => remote,
    /** This instance leads: its monitor's state is served. */
    useLocal(): void {
      mode = 'local';
    },
    /** Another instance leads: its published state is served. */
    useRemote(): void {
      if (mode === 'remote') return;
      // What this instance last served stays the base until the new leader's state comes.
      remote = local.current();
      mode = 'remote';
    },
    mode: () => mode,
  };
}

export type LiveRelay = ReturnType<typeof createLiveRelay>;
