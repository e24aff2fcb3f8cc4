import { configWarnings } from '@hqwatch/shared';
import { loadConfigFile } from '../config/load.ts';
import { icmpSupport } from '../probes/icmp.ts';

/**
 * `hqwatch check-config FILE`: exit 0 when valid, 2 with every error as `path: message`. A valid
 * file may still get warnings (an HQ server without a host-level probe): printed after the verdict
 * as `path: message`, with exit 0, since the file works as written.
 */
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
  const warnings = configWarnings(config);
  const noted = warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '';
  const { channels, routes } = config.notify;
  const alerts = channels.length
    ? `, ${channels.length} alert channel${channels.length === 1 ? '' : 's'} and ${routes.length} route${routes.length === 1 ? '' : 's'}`
    : '';
  process.stdout.write(
    `${file}: ok (${2 + config.servers.length} nodes, ${config.sites.length} sites, ${probes.length} probes${alerts})${noted}\n`,
  );
  for (const w of warnings) process.stdout.write(`${w.path}: ${w.message}\n`);
  return 0;
}
