/**
 * A dashboard reduced to its seq rule (`client/src/state/sync.ts`): it applies a delta that follows
 * the held seq, ignores an older one and resyncs (`state:sync`) on a skipped one. Records the seqs
 * it applied, in order, and when.
 */
import type { WireDelta } from '@hqwatch/shared';
import { connectDashboard, syncWire, type DashboardSocket } from './socket.ts';

export interface SeqFollower {
  socket: DashboardSocket;
  /** The seq held now (-1 before the first snapshot). */
  held(): number;
  /** Seqs taken from deltas, in order. */
  applied: number[];
  resyncs: number;
  close(): void;
}

export async function followSeq(url: string): Promise<SeqFollower> {
  const socket = connectDashboard(url);
  let held = -1;
  let syncing = false;
  const follower: SeqFollower = {
    socket,
    held: () => held,
    applied: [],
    resyncs: 0,
    close: () => void socket.close(),
  };
  const sync = async () => {
    if (syncing) return;
    syncing = true;
    follower.resyncs += 1;
    const state = await syncWire(socket);
    held = Math.max(held, state.seq);
    syncing = false;
  };
  socket.on('state:changed', (delta: WireDelta) => {
    if (syncing || held < 0 || delta.seq <= held) return;
    if (delta.seq !== held + 1) return void sync();
    held = delta.seq;
    follower.applied.push(delta.seq);
  });
  socket.on('connect', () => void sync());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  while (held < 0) await new Promise((r) => setTimeout(r, 10));
  return follower;
}
