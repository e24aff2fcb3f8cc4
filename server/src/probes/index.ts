import type { ProbeConfig, ProbeView, WitnessProbeConfig } from '@hqwatch/shared';
import type { Judged } from './deadline.ts';
import { probeHttp } from './http.ts';
import { probeIcmp } from './icmp.ts';
import { hostPort } from './resolve.ts';
import { probeSip } from './sip.ts';
import { probeTcp } from './tcp.ts';

export { icmpSupport } from './icmp.ts';
export { closeSipSockets } from './sip-transport.ts';

/**
 * One probe's result as the monitor records it. `stalled` marks a probe that ran while the event
 * loop was blocked: a failure carrying it is "no verdict", never a failed probe (see deadline.ts).
 * `hostAnswered` marks a failure the host itself answered (refused, an HTTP or SIP error): the node
 * is then reachable, not down.
 */
export type ProbeOutcome = ProbeView & { role: 'service' | 'host'; stalled?: boolean; hostAnswered?: boolean };

export type AnyProbeConfig = ProbeConfig | WitnessProbeConfig;

/** The probe's own host, else the address of the node it belongs to. */
function hostOf(probe: AnyProbeConfig, nodeAddress: string | null): string | null {
  return ('host' in probe ? probe.host : undefined) ?? nodeAddress;
}

/** What the probe looks at, as an operator reads it: `host:port`, the URL, or the host. */
export function probeTarget(probe: AnyProbeConfig, nodeAddress: string | null): string {
  if (probe.kind === 'http') return probe.url;
  const host = hostOf(probe, nodeAddress) ?? '(no host)';
  return probe.kind === 'icmp' ? host : hostPort(host, probe.port);
}

function judge(probe: AnyProbeConfig, host: string | null, timeoutMs: number): Promise<Judged> {
  if (probe.kind === 'http') return probeHttp(probe.url, probe.expectStatus, timeoutMs);
  if (host === null) return Promise.resolve({ ok: false, latencyMs: null, error: 'no host: the probe names none and has no node' });
  switch (probe.kind) {
    case 'tcp':
      return probeTcp(host, probe.port, timeoutMs);
    case 'sip':
      return probeSip(host, probe.port, probe.acceptCodes, timeoutMs);
    case 'icmp':
      return probeIcmp(host, timeoutMs);
  }
}

/**
 * Runs one probe with its own timeout (`probe.timeout`, else `defaultTimeoutMs`). Never rejects:
 * every failure, expected or not, is an outcome with `ok: false` and a readable `error`.
 */
export async function runProbe(probe: AnyProbeConfig, nodeAddress: string | null, defaultTimeoutMs: number): Promise<ProbeOutcome> {
  const base = { kind: probe.kind, target: probeTarget(probe, nodeAddress), role: probe.role };
  try {
    const judged = await judge(probe, hostOf(probe, nodeAddress), probe.timeout ?? defaultTimeoutMs);
    return { ...base, ...judged };
  } catch (err) {
    return { ...base, ok: false, latencyMs: null, error: `probe error: ${err instanceof Error ? err.message : String(err)}` };
  }
}
