/** Stand-ins for the parts of createApp a benchmark holds still, so figures depend on what is measured. */
import type { ProbeConfig, WitnessProbeConfig } from '@hqwatch/shared';
import type { SelfHealth } from '@hqwatch/server/monitor/self-health';
import type { ProbeOutcome } from '@hqwatch/server/probes';

/** Self-health whose network is always up: a benchmark never turns blind because of the host's interfaces. */
export function steadySelfHealth(): SelfHealth {
  const network = () => ({ iface: 'lo', up: true, checkedAt: new Date().toISOString() });
  return {
    start() {},
    stop() {},
    network,
    report: async () => ({
      network: network(),
      eventLoop: { meanMs: 0, p99Ms: 0, maxMs: 0 },
      cpu: { loadPercent: null, processPercent: 0 },
      memory: { rssBytes: process.memoryUsage().rss, heapUsedBytes: 0, systemTotalBytes: null, systemAvailableBytes: null },
      uptimeSeconds: Math.round(process.uptime()),
    }),
  };
}

/**
 * A probe runner answering from a table of addresses instead of the network: instant rounds, so a
 * benchmark of delivery measures delivery. Addresses not in the table pass.
 */
export function scriptedProbes(down: Iterable<string> = []) {
  const failing = new Set(down);
  const run = async (probe: ProbeConfig | WitnessProbeConfig, address: string | null): Promise<ProbeOutcome> => {
    const host = ('host' in probe && probe.host) || address || 'unknown';
    const ok = !failing.has(host);
    return ok
      ? { kind: probe.kind, target: host, ok, latencyMs: 0.5, role: probe.role }
      : { kind: probe.kind, target: host, ok, latencyMs: null, role: probe.role, error: 'connection refused' };
  };
  return {
    run,
    set(address: string, up: boolean) {
      if (up) failing.delete(address);
      else failing.add(address);
    },
  };
}

/**
 * Per-address budgets wide enough for a benchmark's thousands of clients, which all connect from
 * 127.0.0.1 where a real NOC's walls come from addresses of their own. What one socket may send,
 * the snapshots in flight and the one-at-a-time history line stay the server's defaults.
 */
export const LOOPBACK_CROWD_LIMITS = {
  socket: {
    handshakes: { perSecond: 1_000_000, burst: 1_000_000 },
    sync: { perSecond: 1_000_000, burst: 1_000_000, slots: 32, writeTimeoutMs: 15_000 },
  },
  history: { perSecond: 1_000_000, burst: 1_000_000, perClient: 1_000, queue: 10_000 },
};
