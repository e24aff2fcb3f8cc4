import type { ProbeConfig, WitnessProbeConfig } from '@hqwatch/shared';
import type { ProbeOutcome } from '../../src/probes/index.ts';

/**
 * A probe runner whose answers are set by the test per address: no network, instant rounds. Used
 * where the test is about the app's plumbing, not about probing.
 */
export function scriptedProbes(initial: Record<string, boolean> = {}) {
  const up = new Map(Object.entries(initial));
  const run = async (probe: ProbeConfig | WitnessProbeConfig, address: string | null): Promise<ProbeOutcome> => {
    const host = ('host' in probe && probe.host) || address || 'unknown';
    const ok = up.get(host) ?? true;
    return {
      kind: probe.kind,
      target: host,
      ok,
      latencyMs: ok ? 1 : null,
      role: probe.role,
      ...(ok ? {} : { error: 'connection refused' }),
    };
  };
  return { run, set: (address: string, ok: boolean) => up.set(address, ok) };
}
