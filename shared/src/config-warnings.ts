import type { ConfigError } from './config-error.ts';
import type { HqwatchConfig } from './config.ts';

/**
 * What a valid config may still get wrong, said by `check-config` and logged by `serve` without
 * refusing the file. An HQ server with no host-level probe (`role: host`, e.g. icmp) is told apart
 * from a dead one only when one of its services answers or refuses; behind a firewall that drops
 * what it does not serve, a stopped standby then looks dead, and hqwatch would call a failover
 * impossible (`hq-down`) when the secondary is merely waiting for it.
 */
export function configWarnings(config: HqwatchConfig): ConfigError[] {
  const warnings: ConfigError[] = [];
  for (const key of ['primary', 'secondary'] as const) {
    const node = config.headquarters[key];
    if (node.probes.some((probe) => probe.role === 'host')) continue;
    warnings.push({
      path: `headquarters.${key}.probes`,
      message:
        'no host-level probe (role: host): if its services neither answer nor refuse, a stopped server looks dead. ' +
        'Add { kind: icmp } (needs the system ping) or { kind: tcp, port: 135, role: host } (a port every Windows server answers)',
    });
  }
  return warnings;
}
