import { isLoopback } from './addresses.ts';
import type { LabListener } from './listeners.ts';
import type { NodeState, StateOptions } from './node-state.ts';
import { DEFAULT_PBX_PORTS, DEFAULT_WITNESS_PORT, pbxServices, witnessServices, type PbxPorts } from './services.ts';
import { SimNode, type NodeEndpoints, type SimNodeView } from './sim-node.ts';
import type { LabTopology } from './topology.ts';

export interface LabOptions {
  /** Where "using 127.0.0.1 instead" and similar lines go. */
  log?: (line: string) => void;
  /** Overrides of the ShoreWare ports, e.g. `{ director: 8001 }`. */
  ports?: Partial<PbxPorts>;
  witnessPort?: number;
  /** `false` puts every node on 127.0.0.1 with free ports, as on systems without loopback aliases. */
  loopbackAliases?: boolean;
}

/** A running set of simulated servers. */
export interface Lab {
  readonly topology: LabTopology;
  nodeIds(): string[];
  has(nodeId: string): boolean;
  /** Applies a state; resolves once listeners match it. Throws `UnknownNodeError` for an id not in the topology. */
  setState(nodeId: string, state: NodeState, options?: StateOptions): Promise<SimNodeView>;
  states(): SimNodeView[];
  node(nodeId: string): SimNodeView;
  /** The address and ports a node actually uses (after any fallback). */
  endpoints(nodeId: string): NodeEndpoints;
  /** Every socket bound right now. */
  listeners(): LabListener[];
  close(): Promise<void>;
}

export class UnknownNodeError extends Error {
  constructor(readonly nodeId: string) {
    super(`unknown node "${nodeId}"`);
    this.name = 'UnknownNodeError';
  }
}

/** Starts every node of the topology in its initial state. Refuses any address outside 127.0.0.0/8. */
export async function startLab(topology: LabTopology, options: LabOptions = {}): Promise<Lab> {
  checkTopology(topology);
  const log = options.log ?? (() => undefined);
  const ports = { ...DEFAULT_PBX_PORTS, ...options.ports };
  const started = topology.nodes.map((spec) => ({
    initial: spec.initial ?? 'serving',
    node: new SimNode({
      id: spec.id,
      name: spec.name,
      role: spec.role,
      address: spec.address,
      services: spec.role === 'witness' ? witnessServices(options.witnessPort ?? DEFAULT_WITNESS_PORT) : pbxServices(ports),
      log,
      loopbackAliases: options.loopbackAliases,
    }),
  }));
  const nodes = new Map(started.map(({ node }) => [node.id, node]));
  const closeAll = () => Promise.all([...nodes.values()].map((n) => n.close())).then(() => undefined);
  // Started one after another: with aliases unavailable every node falls back to 127.0.0.1, and
  // sequential binds keep the log readable.
  try {
    for (const { node, initial } of started) await node.start(initial);
  } catch (err) {
    await closeAll();
    throw err;
  }

  const get = (nodeId: string): SimNode => {
    const node = nodes.get(nodeId);
    if (!node) throw new UnknownNodeError(nodeId);
    return node;
  };
  return {
    topology,
    nodeIds: () => [...nodes.keys()],
    has: (nodeId) => nodes.has(nodeId),
    async setState(nodeId, state, stateOptions) {
      const node = get(nodeId);
      await node.setState(state, stateOptions);
      return node.view();
    },
    states: () => [...nodes.values()].map((n) => n.view()),
    node: (nodeId) => get(nodeId).view(),
    endpoints: (nodeId) => get(nodeId).endpoints(),
    listeners: () => [...nodes.values()].flatMap((n) => n.listeners()),
    close: closeAll,
  };
}

function checkTopology(topology: LabTopology): void {
  const seen = new Set<string>();
  for (const node of topology.nodes) {
    if (seen.has(node.id)) throw new Error(`lab topology: duplicate node id "${node.id}"`);
    seen.add(node.id);
    if (!isLoopback(node.address)) throw new Error(`lab topology: ${node.id} has address ${node.address}; the lab only uses 127.0.0.0/8`);
  }
}
