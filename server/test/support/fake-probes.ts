import type { ProbeConfig, WitnessProbeConfig } from '@hqwatch/shared';
import type { ProbeOutcome } from '../../src/probes/index.ts';

/**
 * What a scripted address does: `true` answers, `false` refuses (the host is up, its service is
 * not: a stopped server), `'silent'` answers nothing (a dead host: the probe times out).
 */
export type Scripted = boolean | 'silent';

/**
 * A probe runner whose answers are set by the test per address: no network, instant rounds. Used
 * where the test is about the app's plumbing, not about probing. Its failures are what the real
 * probes report: a refusal is evidence the host answered, silence is not.
 */
export function scriptedProbes(initial: Record<string, Scripted> = {}) {
  const up = new Map<string, Scripted>(Object.entries(initial));
  const run = async (probe: ProbeConfig | WitnessProbeConfig, address: string | null): Promise<ProbeOutcome> => {
    const host = ('host' in probe && probe.host) || address || 'unknown';
    const answer = up.get(host) ?? true;
    const base = { kind: probe.kind, target: host, role: probe.role };
    if (answer === true) return { ...base, ok: true, latencyMs: 1 };
    if (answer === 'silent') return { ...base, ok: false, latencyMs: null, error: 'timeout after 150 ms' };
    return { ...base, ok: false, latencyMs: null, error: 'connection refused', hostAnswered: true };
  };
  return { run, set: (address: string, answer: Scripted) => up.set(address, answer) };
}
