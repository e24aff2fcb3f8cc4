import { access, constants } from 'node:fs/promises';
import type { ConfigError, HqwatchConfig } from '@hqwatch/shared';

/** Every file the config names, with its path in the config. */
function namedFiles(config: HqwatchConfig): { path: string; file: string }[] {
  const files: { path: string; file: string }[] = [];
  if (config.http.tls)
    files.push({ path: 'http.tls.cert', file: config.http.tls.cert }, { path: 'http.tls.key', file: config.http.tls.key });
  const nodes = [
    ['headquarters.primary', config.headquarters.primary],
    ['headquarters.secondary', config.headquarters.secondary],
    ...config.servers.map((s, i) => [`servers[${i}]`, s] as const),
  ] as const;
  for (const [where, node] of nodes) {
    node.probes.forEach((probe, i) => {
      if (probe.kind === 'http' && probe.tls?.ca) files.push({ path: `${where}.probes[${i}].tls.ca`, file: probe.tls.ca });
    });
  }
  config.monitor.witness.forEach((probe, i) => {
    if (probe.kind === 'http' && probe.tls?.ca) files.push({ path: `monitor.witness[${i}].tls.ca`, file: probe.tls.ca });
  });
  return files;
}

/**
 * The certificate, key and CA files the config names that cannot be read, as config errors: the
 * schema is pure and cannot look, and a missing file found at the first HTTPS request or probe
 * would be found too late.
 */
export async function unreadableFiles(config: HqwatchConfig): Promise<ConfigError[]> {
  const checks = await Promise.all(
    namedFiles(config).map(async ({ path, file }) => {
      try {
        await access(file, constants.R_OK);
        return null;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return {
          path,
          message: `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code})`}`,
        };
      }
    }),
  );
  return checks.filter((c): c is ConfigError => c !== null);
}
