import { labAddresses } from './addresses.ts';
import type { NodeState } from './node-state.ts';
import type { LabRole } from './sim-node.ts';

/** A simulated server of a topology. */
export interface LabNodeSpec {
  id: string;
  name: string;
  role: LabRole;
  address: string;
  /** The distributed server hosts a DRS instance. */
  drs?: boolean;
  /** State when the lab starts; `serving` when absent. */
  initial?: NodeState;
}

/** A site, as it goes into the monitor config: through which server its users, voicemail and DRS go. */
export interface LabSiteSpec {
  id: string;
  name: string;
  users: string;
  voicemail: string;
  drs: string[];
  userCount?: number;
}

/** What the lab simulates and what the generated config describes. */
export interface LabTopology {
  name: string;
  nodes: LabNodeSpec[];
  sites: LabSiteSpec[];
}

interface DvsSpec {
  id: string;
  name: string;
  drs: boolean;
}

const DEMO_DVS: DvsSpec[] = [
  { id: 'dvs-boston', name: 'Boston DVS', drs: true },
  { id: 'dvs-austin', name: 'Austin DVS', drs: false },
  { id: 'dvs-denver', name: 'Denver DVS', drs: true },
  { id: 'dvs-london', name: 'London DVS', drs: true },
];

/**
 * Sites of the demo, chosen so that a window shows every kind of impact: HQ-homed users losing
 * telephony, voicemail lost through HQ while users keep calling, DRS lost where HQ is the only path.
 * The first four are also the small topology's, so scenario expectations naming them hold in both.
 */
const DEMO_SITES: LabSiteSpec[] = [
  { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 420 },
  { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'], userCount: 140 },
  { id: 'austin', name: 'Austin', users: 'dvs-austin', voicemail: 'hq', drs: ['hq'], userCount: 75 },
  { id: 'chicago', name: 'Chicago', users: 'hq', voicemail: 'dvs-boston', drs: ['dvs-boston'], userCount: 90 },
  { id: 'denver', name: 'Denver', users: 'dvs-denver', voicemail: 'dvs-denver', drs: ['dvs-denver', 'hq'], userCount: 110 },
  { id: 'seattle', name: 'Seattle', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 35 },
  { id: 'london', name: 'London', users: 'dvs-london', voicemail: 'dvs-london', drs: ['dvs-london'], userCount: 160 },
  { id: 'dublin', name: 'Dublin', users: 'dvs-london', voicemail: 'dvs-london', drs: ['dvs-london', 'hq'], userCount: 45 },
  { id: 'atlanta', name: 'Atlanta', users: 'dvs-austin', voicemail: 'dvs-austin', drs: ['hq'], userCount: 60 },
  { id: 'phoenix', name: 'Phoenix', users: 'dvs-denver', voicemail: 'hq', drs: ['dvs-denver'], userCount: 50 },
  { id: 'toronto', name: 'Toronto', users: 'hq', voicemail: 'hq', drs: [], userCount: 30 },
  { id: 'miami', name: 'Miami', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['hq'], userCount: 40 },
];

function build(name: string, octet: number, dvsCount: number, siteCount: number): LabTopology {
  const at = labAddresses(octet);
  const nodes: LabNodeSpec[] = [
    { id: 'primary', name: 'HQ primary', role: 'hq-primary', address: at.primary },
    // A standby secondary runs Windows but not the HQ services until a failover starts them.
    { id: 'secondary', name: 'HQ secondary', role: 'hq-secondary', address: at.secondary, initial: 'stopped' },
    ...DEMO_DVS.slice(0, dvsCount).map((d, i): LabNodeSpec => ({ ...d, role: 'distributed', address: at.dvs(i) })),
    { id: 'witness', name: 'Witness (monitor network DNS)', role: 'witness', address: at.witness },
  ];
  return { name, nodes, sites: DEMO_SITES.slice(0, siteCount).map((s) => ({ ...s, drs: [...s.drs] })) };
}

/** The demo: the HQ pair, 4 distributed servers and 12 sites, on 127.<octet>.x.y. */
export function demoTopology(octet = 0): LabTopology {
  return build('demo', octet, 4, 12);
}

/** For tests: the HQ pair, Boston and Austin DVSs and 4 sites (a subset of the demo). */
export function smallTopology(octet: number): LabTopology {
  return build('small', octet, 2, 4);
}

/** Node ids a scenario step may name in this topology. */
export function topologyNodeIds(topology: LabTopology): string[] {
  return topology.nodes.map((n) => n.id);
}
