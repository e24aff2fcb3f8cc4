import { HQ_STATES, type LiveState } from '@hqwatch/shared';
import type { ClusterStatus } from '../cluster/cluster.ts';
import type { NotifyStatus } from '../notify/notifier.ts';

const NODE_STATUSES = ['serving', 'reachable', 'down', 'unknown'] as const;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

interface HealthLike {
  status: string;
  rounds: { rounds: number; lateRounds: number; lastRoundMs: number | null };
  eventLoop: { p99Ms: number };
  memory: { rssBytes: number };
  store: { sizeBytes: number } | null;
  clients: number;
  notify?: NotifyStatus;
  cluster?: ClusterStatus | null;
}

type Metric = (name: string, help: string, type: 'gauge' | 'counter' | 'summary', samples: [string, number][]) => void;

/** Alerting, per channel: deliveries sent, given up on and retried since start; pending and undeliverable now. */
function notifyMetrics(metric: Metric, notify: NotifyStatus): void {
  const per = (pick: (c: NotifyStatus['channels'][number]) => number): [string, number][] =>
    notify.channels.map((c) => [`{channel="${escapeLabel(c.id)}",kind="${escapeLabel(c.kind)}"}`, pick(c)]);
  metric(
    'hqwatch_notifications_sent_total',
    'Alert deliveries the receiver accepted, since start.',
    'counter',
    per((c) => c.counters.sent),
  );
  metric(
    'hqwatch_notifications_failed_total',
    'Alert deliveries given up on (refused for good, or past their deadline), since start.',
    'counter',
    per((c) => c.counters.failed),
  );
  metric(
    'hqwatch_notification_retries_total',
    'Alert delivery attempts that failed and were retried, since start.',
    'counter',
    per((c) => c.counters.retries),
  );
  metric(
    'hqwatch_notifications_pending',
    'Alert deliveries waiting to be sent (or retried).',
    'gauge',
    per((c) => c.pending),
  );
  metric(
    'hqwatch_notifications_undeliverable',
    'Alert deliveries kept as undeliverable, for an operator to see and retry.',
    'gauge',
    per((c) => c.undeliverable),
  );
  // A summary without quantiles: its _sum and _count give the mean delivery time over any range.
  metric(
    'hqwatch_notification_delivery_seconds',
    'Time from an alert being recorded to its delivery, per channel, since start.',
    'summary',
    notify.channels.flatMap((c): [string, number][] => {
      const labels = `{channel="${escapeLabel(c.id)}",kind="${escapeLabel(c.kind)}"}`;
      return [
        [`_sum${labels}`, c.counters.latencySum],
        [`_count${labels}`, c.counters.latencyCount],
      ];
    }),
  );
}

/** Leadership as this instance sees it: its role, the term, the leader's last heartbeat, Redis. */
function clusterMetrics(metric: Metric, cluster: ClusterStatus): void {
  const instance = `instance="${escapeLabel(cluster.instance)}"`;
  metric(
    'hqwatch_cluster_role',
    'Role of this instance (1 for the current one).',
    'gauge',
    (['leader', 'standby', 'web'] as const).map((r): [string, number] => [`{${instance},role="${r}"}`, cluster.role === r ? 1 : 0]),
  );
  metric('hqwatch_cluster_term', "Leadership term: this instance's while it leads, else the leader's as last read.", 'gauge', [
    [`{${instance}}`, cluster.term],
  ]);
  metric('hqwatch_cluster_leader_heartbeat_timestamp_seconds', "The leader's last heartbeat as last read (Unix time).", 'gauge', [
    [`{${instance}}`, cluster.heartbeatAt === null ? 0 : Date.parse(cluster.heartbeatAt) / 1000],
  ]);
  metric('hqwatch_cluster_cut_off', "Whether this node may be behind the leader's live state (Redis away, leader silent).", 'gauge', [
    [`{${instance}}`, cluster.cutOff === null ? 0 : 1],
  ]);
  if (cluster.fanout)
    metric('hqwatch_fanout_up', 'Whether this node reaches Redis.', 'gauge', [[`{${instance}}`, cluster.fanout.ok ? 1 : 0]]);
}

/** The live state and the monitor's health in Prometheus text exposition format. */
export function renderMetrics(state: LiveState, health: HealthLike): string {
  const lines: string[] = [];
  const metric: Metric = (name, help, type, samples) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric(
    'hqwatch_hq_state',
    'Current HQ state (1 for the active one).',
    'gauge',
    HQ_STATES.map((s) => [`{state="${s}"}`, state.hq.state === s ? 1 : 0]),
  );
  metric('hqwatch_window_elapsed_seconds', 'Elapsed time of the open window (failover, failback or HQ outage).', 'gauge', [
    ['', state.hq.window ? state.hq.window.elapsedMs / 1000 : 0],
  ]);
  metric('hqwatch_window_overrun', 'Whether the open window has passed the expected maximum.', 'gauge', [
    ['', state.hq.window?.overrun ? 1 : 0],
  ]);
  metric(
    'hqwatch_standby',
    'Readiness of the HQ server that would take over (1 for the current one); an alert on ready=0 while primary-active is the standby lost.',
    'gauge',
    (['ready', 'not-ready', 'unknown'] as const).map((s): [string, number] => [
      `{standby="${s}",server="${state.hq.standbyId ?? ''}"}`,
      state.hq.standby === s ? 1 : 0,
    ]),
  );
  metric(
    'hqwatch_node_status',
    'Node status (1 for the current one).',
    'gauge',
    state.nodes.flatMap((n) =>
      NODE_STATUSES.map((s): [string, number] => [`{node="${escapeLabel(n.id)}",status="${s}"}`, n.status === s ? 1 : 0]),
    ),
  );
  metric(
    'hqwatch_node_flapping',
    'Whether the node is flapping.',
    'gauge',
    state.nodes.map((n) => [`{node="${escapeLabel(n.id)}"}`, n.flapping ? 1 : 0]),
  );
  metric('hqwatch_sites_impacted', 'Sites with at least one service down.', 'gauge', [['', state.impact.sitesImpacted]]);
  metric('hqwatch_rounds_total', 'Monitor rounds run.', 'counter', [['', health.rounds.rounds]]);
  metric('hqwatch_late_rounds_total', 'Rounds that started late (event loop stall).', 'counter', [['', health.rounds.lateRounds]]);
  metric('hqwatch_round_duration_seconds', 'Duration of the last round.', 'gauge', [['', (health.rounds.lastRoundMs ?? 0) / 1000]]);
  metric('hqwatch_event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile.', 'gauge', [['', health.eventLoop.p99Ms / 1000]]);
  // The names in milliseconds stay one release for the scrapers that read them.
  metric('hqwatch_round_duration_ms', 'Duration of the last round (deprecated: use hqwatch_round_duration_seconds).', 'gauge', [
    ['', health.rounds.lastRoundMs ?? 0],
  ]);
  metric(
    'hqwatch_event_loop_delay_p99_ms',
    'Event-loop delay, 99th percentile (deprecated: use hqwatch_event_loop_delay_p99_seconds).',
    'gauge',
    [['', health.eventLoop.p99Ms]],
  );
  metric('hqwatch_rss_bytes', 'Resident set size of the monitor.', 'gauge', [['', health.memory.rssBytes]]);
  metric('hqwatch_store_size_bytes', 'Size of the history database.', 'gauge', [['', health.store?.sizeBytes ?? 0]]);
  metric('hqwatch_socket_clients', 'Connected dashboard clients.', 'gauge', [['', health.clients]]);
  metric('hqwatch_healthy', 'Whether the monitor itself is healthy.', 'gauge', [['', health.status === 'ok' ? 1 : 0]]);
  if (health.notify) notifyMetrics(metric, health.notify);
  if (health.cluster) clusterMetrics(metric, health.cluster);
  return lines.join('\n') + '\n';
}
