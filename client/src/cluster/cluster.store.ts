import { defineStore } from 'pinia';
import { ref } from 'vue';
import { request } from '../api/request.ts';

/** This node's part in a pair (`GET /api/cluster`): absent fields when the server runs alone. */
export interface ClusterView {
  enabled: boolean;
  instance?: string;
  role?: 'leader' | 'standby' | 'web';
  term?: number;
  leader?: string | null;
  heartbeatAt?: string | null;
  /** Why this node may be behind the leader (Redis away, no heartbeat), or null. */
  cutOff?: string | null;
}

const isCluster = (body: unknown): body is ClusterView =>
  !!body && typeof body === 'object' && typeof (body as { enabled?: unknown }).enabled === 'boolean';

/** How often the node is asked: a banner for a cut-off node shows within this. */
const POLL_MS = 5_000;

/**
 * Leadership as the node that served the page sees it, for the status line (role, term, the
 * leader's last heartbeat) and the banner of a node cut off from the leader's live updates. A
 * server that runs alone answers `enabled: false` once, and is not asked again.
 */
export const useClusterStore = defineStore('cluster', () => {
  const view = ref<ClusterView | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = false;

  async function poll(): Promise<void> {
    const result = await request('/api/cluster', isCluster);
    if (result.status === 'ready') view.value = result.data;
    if (result.status === 'ready' && !result.data.enabled) return;
    timer = setTimeout(() => void poll(), POLL_MS);
  }

  function start(): void {
    if (started) return;
    started = true;
    void poll();
  }

  function stop(): void {
    clearTimeout(timer);
    started = false;
  }

  return { view, start, stop };
});
