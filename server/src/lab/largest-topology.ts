import { labAddresses } from './addresses.ts';
import type { LabNodeSpec, LabSiteSpec, LabTopology } from './topology.ts';

/** The largest system hqwatch is sized for: the HQ pair, 20 distributed servers, 500 sites. */
export const LARGEST = { distributed: 20, sites: 500, probesPerServer: 3 } as const;

const dvsId = (i: number) => `dvs-${String(i + 1).padStart(2, '0')}`;
/** Every other distributed server hosts a DRS instance. */
const hasDrs = (i: number) => i % 2 === 0;

/** Site `i`: a fifth homed on HQ, the rest spread over the distributed servers; a third of voicemail goes through HQ. */
function site(i: number): LabSiteSpec {
  const server = i % LARGEST.distributed;
  const home = i % 5 === 0 ? 'hq' : dvsId(server);
  const drsServer = dvsId(server - (server % 2));
  return {
    id: `site-${String(i + 1).padStart(3, '0')}`,
    name: `Site ${i + 1}`,
    users: home,
    voicemail: i % 3 === 0 ? 'hq' : home,
    drs: i % 4 === 0 ? ['hq'] : [drsServer, 'hq'],
    userCount: 10 + (i % 90),
  };
}

/**
 * The largest topology on 127.<octet>.x.y (`hqwatch demo --topology largest`, the benchmarks, the
 * wall's e2e test); the secondary stands by with its services stopped.
 */
export function largestTopology(octet: number): LabTopology {
  const at = labAddresses(octet);
  const nodes: LabNodeSpec[] = [
    { id: 'primary', name: 'HQ primary', role: 'hq-primary', address: at.primary },
    { id: 'secondary', name: 'HQ secondary', role: 'hq-secondary', address: at.secondary, initial: 'stopped' },
    ...Array.from({ length: LARGEST.distributed }, (_, i): LabNodeSpec => ({
      id: dvsId(i),
      name: `DVS ${i + 1}`,
      role: 'distributed',
      address: at.dvs(i),
      drs: hasDrs(i),
    })),
    { id: 'witness', name: 'Witness', role: 'witness', address: at.witness },
  ];
  return { name: 'largest', nodes, sites: Array.from({ length: LARGEST.sites }, (_, i) => site(i)) };
}
