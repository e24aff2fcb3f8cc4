/**
 * The largest topology hqwatch is sized for: the HQ pair, 20 distributed servers and 500 sites,
 * each server probed three ways (configuration database over TCP, call control over SIP, Director
 * over HTTP), as a lab topology and as the monitor config pointing at that lab.
 */
import { validateConfig, type HqwatchConfig } from '@hqwatch/shared';
import { DEFAULT_PBX_PORTS, DEFAULT_WITNESS_PORT, type LabTopology, type NodeEndpoints } from '@hqwatch/server/lab';

/** The topology lives with the lab, so `hqwatch demo --topology largest` plays the same one. */
export { LARGEST, largestTopology } from '@hqwatch/server/lab';

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
