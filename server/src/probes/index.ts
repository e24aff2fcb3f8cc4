import { redactUrl, scrubSecrets, urlSecrets, type ProbeConfig, type ProbeView, type WitnessProbeConfig } from '@hqwatch/shared';
import type { Judged } from './deadline.ts';
import { probeHttp } from './http.ts';
import { probeIcmp } from './icmp.ts';
import { hostPort } from './resolve.ts';
import { probeSip } from './sip.ts';
import { probeTcp } from './tcp.ts';
import { readCaFile } from './tls.ts';

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

/**
 * What the probe looks at, as an operator reads it: `host:port`, the URL, or the host. A URL's
 * credentials (`http://admin:secret@…`) are replaced here, where every shown, stored and sent
 * target comes from, so nothing downstream can publish them.
 */
export function probeTarget(probe: AnyProbeConfig, nodeAddress: string | null): string {
  if (probe.kind === 'http') return redactUrl(probe.url);
  const host = hostOf(probe, nodeAddress) ?? '(no host)';
  return probe.kind === 'icmp' ? host : hostPort(host, probe.port);
}

async function judgeHttp(probe: Extract<AnyProbeConfig, { kind: 'http' }>, timeoutMs: number): Promise<Judged> {
  const verify = probe.tls?.verify ?? true;
  let ca: Buffer | undefined;
  if (probe.tls?.ca) {
    try {
      ca = await readCaFile(probe.tls.ca);
    } catch (err) {
      return { ok: false, latencyMs: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
  return probeHttp(probe.url, probe.expectStatus, timeoutMs, { verify, ca });
}

function judge(probe: AnyProbeConfig, host: string | null, timeoutMs: number): Promise<Judged> {
  if (probe.kind === 'http') return judgeHttp(probe, timeoutMs);
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

/** An error message with the probe URL's credentials taken out, should a library ever quote the URL. */
function scrub(probe: AnyProbeConfig, message: string): string {
  return probe.kind === 'http' ? scrubSecrets(message, urlSecrets(probe.url)) : message;
}

/**
 * Runs one probe with its own timeout (`probe.timeout`, else `defaultTimeoutMs`). Never rejects:
 * every failure, expected or not, is an outcome with `ok: false` and a readable `error`.
 */
export async function runProbe(probe: AnyProbeConfig, nodeAddress: string | null, defaultTimeoutMs: number): Promise<ProbeOutcome> {
  const base = { kind: probe.kind, target: probeTarget(probe, nodeAddress), role: probe.role };
  try {
    const judged = await judge(probe, hostOf(probe, nodeAddress), probe.timeout ?? defaultTimeoutMs);
    return judged.error === undefined ? { ...base, ...judged } : { ...base, ...judged, error: scrub(probe, judged.error) };
  } catch (err) {
    return { ...base, ok: false, latencyMs: null, error: scrub(probe, `probe error: ${err instanceof Error ? err.message : String(err)}`) };
  }
}
