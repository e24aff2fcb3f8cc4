/**
 * The largest topology hqwatch is sized for: the HQ pair, 20 distributed servers and 500 sites,
 * each server probed three ways (configuration database over TCP, call control over SIP, Director
 * over HTTP), as a lab topology and as the monitor config pointing at that lab.
 */
import { validateConfig, type HqwatchConfig } from '@hqwatch/shared';
import {
  DEFAULT_PBX_PORTS,
  DEFAULT_WITNESS_PORT,
  labAddresses,
  type LabNodeSpec,
  type LabSiteSpec,
  type LabTopology,
  type NodeEndpoints,
} from '@hqwatch/server/lab';

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

/** The largest topology on 127.<octet>.x.y; the secondary stands by with its services stopped. */
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

export interface LargestSettings {
  intervalMs: number;
  timeoutMs: number;
  failAfter: number;
  recoverAfter: number;
}

const ms = (value: number) => `${Math.round(value)}ms`;

/** The three probes of a server at `at`. */
function probes(at: NodeEndpoints) {
  return [
    { kind: 'tcp', port: at.ports.database },
    { kind: 'sip', port: at.ports['call-control'] },
    { kind: 'http', url: `http://${at.address}:${at.ports.director}/ShoreWareDirector/` },
  ];
}

/**
 * The config document (as a YAML file would hold it) for `topology` (the largest one or any lab
 * topology with a witness) served by a lab whose endpoints are `endpoints`; three probes per server.
 */
export function topologyDocument(topology: LabTopology, endpoints: Record<string, NodeEndpoints>, settings: LargestSettings) {
  const node = (id: string) => {
    const at = endpoints[id];
    if (!at) throw new Error(`no endpoints for lab node ${id}`);
    return at;
  };
  const distributed = topology.nodes.filter((n) => n.role === 'distributed');
  const witness = node('witness');
  const raw = {
    monitor: {
      interval: ms(settings.intervalMs),
      timeout: ms(settings.timeoutMs),
      failAfter: settings.failAfter,
      recoverAfter: settings.recoverAfter,
      witness: [{ kind: 'tcp', host: witness.address, port: witness.ports.witness }],
    },
    headquarters: {
      primary: { name: 'HQ primary', address: node('primary').address, probes: probes(node('primary')) },
      secondary: { name: 'HQ secondary', address: node('secondary').address, probes: probes(node('secondary')) },
    },
    servers: distributed.map((spec) => ({
      id: spec.id,
      name: spec.name,
      address: node(spec.id).address,
      drs: spec.drs ?? false,
      probes: probes(node(spec.id)),
    })),
    drs: { enabled: true },
    sites: topology.sites,
    // The benchmarks' clients read as a NOC's anonymous viewers would.
    auth: { anonymous: 'viewer' },
  };
  return raw;
}

/** {@link topologyDocument}, validated. */
export function topologyConfig(topology: LabTopology, endpoints: Record<string, NodeEndpoints>, settings: LargestSettings): HqwatchConfig {
  const raw = topologyDocument(topology, endpoints, settings);
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(`bench config refused: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.config;
}

/** Where a lab with the default ports would listen: for configs whose probes are scripted, not sent. */
export function nominalEndpoints(topology: LabTopology): Record<string, NodeEndpoints> {
  const p = DEFAULT_PBX_PORTS;
  return Object.fromEntries(
    topology.nodes.map((n) => [
      n.id,
      {
        address: n.address,
        ports:
          n.role === 'witness'
            ? { witness: DEFAULT_WITNESS_PORT }
            : { host: p.host, database: p.database, director: p.director, 'call-control': p.callControl, sip: p.sip },
      },
    ]),
  );
}
