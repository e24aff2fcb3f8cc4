/**
 * The synthetic topology of the history benchmarks: the HQ pair, 20 distributed servers and any
 * number of sites, a fifth of them homed on HQ and a third of voicemail through it. Its addresses
 * are never probed: these benchmarks drive the store, not the network.
 */
import { validateConfig, type HqwatchConfig } from '@hqwatch/shared';

export const DISTRIBUTED = 20;

export const dvsId = (i: number) => `dvs-${String(i + 1).padStart(2, '0')}`;

/** The config of `sites` sites; each server has a TCP and a SIP probe, and an HTTP one with `http`. */
export function syntheticConfig(sites: number, { http = true } = {}): HqwatchConfig {
  const probes = (address: string) => [
    { kind: 'tcp', port: 4308 },
    { kind: 'sip', port: 5441 },
    ...(http ? [{ kind: 'http', url: `http://${address}/ShoreWareDirector/` }] : []),
  ];
  const result = validateConfig({
    // The benchmarks' clients read as a NOC's anonymous viewers would.
    auth: { anonymous: 'viewer' },
    headquarters: {
      primary: { name: 'HQ primary', address: '10.1.0.10', probes: probes('10.1.0.10') },
      secondary: { name: 'HQ secondary', address: '10.2.0.10', probes: probes('10.2.0.10') },
    },
    servers: Array.from({ length: DISTRIBUTED }, (_, i) => ({
      id: dvsId(i),
      name: `DVS ${i + 1}`,
      address: `10.3.${i}.5`,
      drs: i % 2 === 0,
      probes: probes(`10.3.${i}.5`),
    })),
    drs: { enabled: true },
    sites: Array.from({ length: sites }, (_, i) => {
      const server = i % DISTRIBUTED;
      const home = i % 5 === 0 ? 'hq' : dvsId(server);
      return {
        id: `site-${String(i + 1).padStart(3, '0')}`,
        name: `Site ${i + 1}`,
        users: home,
        voicemail: i % 3 === 0 ? 'hq' : home,
        drs: i % 4 === 0 ? ['hq'] : [dvsId(server - (server % 2)), 'hq'],
        userCount: 10 + (i % 90),
      };
    }),
  });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return result.config;
}
