import { loadConfigFile } from '../config/load.ts';
import { icmpSupport } from '../probes/icmp.ts';

/** `hqwatch check-config FILE`: exit 0 when valid, 2 with every error as `path: message`. */
export async function runCheckConfig(file: string): Promise<number> {
  const result = await loadConfigFile(file);
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`${error.path === '(file)' ? '' : `${error.path}: `}${error.message}\n`);
    return 2;
  }
  const { config } = result;
  const probes = [config.headquarters.primary, config.headquarters.secondary, ...config.servers].flatMap((n) => n.probes);
  if ([...probes, ...config.monitor.witness].some((p) => p.kind === 'icmp')) {
    const icmp = await icmpSupport();
    if (!icmp.ok) {
      process.stderr.write(`icmp probes cannot run on this machine: ${icmp.reason ?? 'no ping available'}\n`);
      return 2;
    }
  }
  process.stdout.write(`${file}: ok (${2 + config.servers.length} nodes, ${config.sites.length} sites, ${probes.length} probes)\n`);
  return 0;
}
