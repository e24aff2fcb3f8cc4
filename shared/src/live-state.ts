import type { HqwatchConfig } from './config.ts';
import type { EngineCore } from './engine-types.ts';
import { buildHqView } from './hq-view.ts';
import { computeImpact } from './impact.ts';
import { withStatusDb, type StatusDbSnapshot } from './status-db.ts';
import type { LiveState, MonitorView, NodeRole, NodeView, ProbeView } from './types.ts';
import { CONTRACT_VERSION, PRIMARY_ID, SECONDARY_ID } from './types.ts';
import type { WindowHistory } from './window-estimate.ts';

export interface BuildLiveStateArgs {
  config: HqwatchConfig;
  core: EngineCore;
  now: string;
  seq: number;
  /** Last probe results per node id; empty when replaying history. */
  probes?: Record<string, ProbeView[]>;
  monitor: Omit<MonitorView, 'intervalMs'>;
  /** What the ShoreWare status database says, when one is configured: evidence added to sites and nodes. */
  statusDb?: StatusDbSnapshot | null;
  /** Durations of past closed windows, for the estimate of an open one; none when absent. */
  windowHistory?: WindowHistory;
  /** The previous round's state: its sites whose inputs did not change are reused as they are. */
  previous?: LiveState;
}

function nodeList(config: HqwatchConfig): { id: string; name: string; address: string; role: NodeRole }[] {
  const { primary, secondary } = config.headquarters;
  return [
    { id: PRIMARY_ID, name: primary.name, address: primary.address, role: 'hq-primary' },
    { id: SECONDARY_ID, name: secondary.name, address: secondary.address, role: 'hq-secondary' },
    ...config.servers.map((s) => ({ id: s.id, name: s.name, address: s.address, role: 'distributed' as const })),
  ];
}

/**
 * The LiveState of the contract, from the engine core at `now`. The live path and incident replay
 * both build their state here, so they can never disagree on windows or impact.
 */
export function buildLiveState({
  config,
  core,
  now,
  seq,
  probes = {},
  monitor,
  windowHistory,
  statusDb,
  previous,
}: BuildLiveStateArgs): LiveState {
  const hq = buildHqView({ config, machine: core.hq, nodes: core.nodes, now, windowHistory });
  const nodes: NodeView[] = nodeList(config).map((node) => {
    const tracker = core.nodes[node.id];
    return {
      ...node,
      status: tracker?.status ?? 'unknown',
      flapping: tracker?.flapping ?? false,
      since: tracker?.since ?? now,
      probes: probes[node.id] ?? [],
    };
  });
  const impact = computeImpact({
    config,
    hq,
    nodes: Object.fromEntries(nodes.map((n) => [n.id, { status: n.status, flapping: n.flapping }])),
    previous: previous?.sites,
  });
  return withStatusDb(
    {
      contractVersion: CONTRACT_VERSION,
      seq,
      at: now,
      hq,
      nodes,
      sites: impact.sites,
      incident: core.hq.incident ? { id: core.hq.incident.id, startedAt: core.hq.incident.startedAt } : null,
      monitor: { ...monitor, intervalMs: config.monitor.interval },
      impact: impact.summary,
    },
    statusDb,
  );
}
