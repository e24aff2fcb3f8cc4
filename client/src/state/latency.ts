import type { NodeView } from '@hqwatch/shared';

/** Samples kept per probe for the sparklines: two minutes at a 2 s interval. */
export const LATENCY_SAMPLES = 60;

/** Key of one probe's series: node id and the probe's kind and target. */
export function probeKey(nodeId: string, probe: { kind: string; target: string }): string {
  return `${nodeId}|${probe.kind}|${probe.target}`;
}

/**
 * Latency series per probe, newest last, bounded to `limit` samples. A failed probe records null,
 * which the sparkline shows as a gap. Mutable on purpose: the store wraps it in a shallow ref and
 * bumps a version, so a sample costs no deep reactivity.
 */
export class LatencyHistory {
  private readonly series = new Map<string, (number | null)[]>();

  constructor(private readonly limit = LATENCY_SAMPLES) {}

  /** Records one sample per probe of every node, as seen in one state. */
  record(nodes: readonly NodeView[]): void {
    const seen = new Set<string>();
    for (const node of nodes) {
      for (const probe of node.probes) {
        const key = probeKey(node.id, probe);
        seen.add(key);
        let samples = this.series.get(key);
        if (!samples) this.series.set(key, (samples = []));
        samples.push(probe.ok ? probe.latencyMs : null);
        if (samples.length > this.limit) samples.splice(0, samples.length - this.limit);
      }
    }
    for (const key of this.series.keys()) if (!seen.has(key)) this.series.delete(key);
  }

  get(key: string): readonly (number | null)[] {
    return this.series.get(key) ?? [];
  }

  clear(): void {
    this.series.clear();
  }
}
