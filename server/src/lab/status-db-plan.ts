import { HQ_REF, SERVICE_RUNNING, SWITCH_IN_SERVICE, SWITCH_LOST_COMMUNICATION } from '@hqwatch/shared';
import type { SimNodeView } from './sim-node.ts';
import type { LabTopology } from './topology.ts';

/** Service stopped, as `CurrentState` stores it. */
const SERVICE_STOPPED = 1;

/** A simulated voice switch: managed by the server its site's users are homed on (`hq` or a DVS id). */
export interface LabSwitch {
  id: number;
  name: string;
  siteId: string;
  /** Row id of its site in the configuration database. */
  siteRow: number;
  managedBy: string;
  /** Its place among the switches of the same manager: the order they re-home in. */
  order: number;
}

export interface LabServer {
  nodeId: string;
  serverId: number;
  switchId: number;
  type: 'SGHQ' | 'SGDVS';
  services: { name: string; displayName: string }[];
}

/** Switches per site in the lab. */
export const SWITCHES_PER_SITE = 2;

/** The lab's switches: `sw-<site>-1`, `sw-<site>-2` for every site of the topology. */
export function labSwitches(topology: LabTopology): LabSwitch[] {
  const perManager = new Map<string, number>();
  return topology.sites.flatMap((site, i) =>
    Array.from({ length: SWITCHES_PER_SITE }, (_, k) => {
      const order = perManager.get(site.users) ?? 0;
      perManager.set(site.users, order + 1);
      return {
        id: 100 + i * SWITCHES_PER_SITE + k,
        name: `sw-${site.id}-${k + 1}`,
        siteId: site.id,
        siteRow: i + 1,
        managedBy: site.users,
        order,
      };
    }),
  );
}

/** The lab's servers: both HQ nodes (type SGHQ) and each DVS (SGDVS), with the services their cards show. */
export function labServers(topology: LabTopology): LabServer[] {
  return topology.nodes
    .filter((n) => n.role !== 'witness')
    .map((n, i) => {
      const hq = n.role === 'hq-primary' || n.role === 'hq-secondary';
      const services = [
        { name: 'TMS', displayName: 'Telephony Management Service (TMS)' },
        { name: 'DRS', displayName: 'Distributed Routing Service' },
        { name: 'VoiceMail', displayName: 'Voice Mail' },
        ...(hq ? [{ name: 'Director', displayName: 'Director (configuration)' }] : []),
      ];
      return { nodeId: n.id, serverId: i + 1, switchId: 1 + i, type: hq ? ('SGHQ' as const) : ('SGDVS' as const), services };
    });
}

/** Whether a simulated server runs its ShoreWare services now. */
export function serves(node: SimNodeView | undefined): boolean {
  if (!node) return false;
  return node.state === 'serving' || node.state === 'slow' || (node.state === 'flapping' && node.phase === 'serving');
}

/** What the plan remembers between ticks: per manager, whether it served and since when it is back. */
export type PlanMemory = Map<string, { served: boolean; backAtMs: number | null }>;

export interface LabStatus {
  switches: Map<number, number>;
  services: Map<string, number>;
}

/**
 * What ShoreWare's status database would hold now. A switch loses communication (490) while no
 * server manages it (HQ-managed: neither HQ node serves; else its DVS is down), and once its
 * manager is back the switches come back in service (110) one after another, `stepMs` apart,
 * as they re-home. Server rows are in service while their node serves, their services running (4).
 */
export function planLabStatus(
  switches: readonly LabSwitch[],
  servers: readonly LabServer[],
  nodes: ReadonlyMap<string, SimNodeView>,
  memory: PlanMemory,
  nowMs: number,
  stepMs: number,
): LabStatus {
  const managerServes = (manager: string) =>
    manager === HQ_REF ? serves(nodes.get('primary')) || serves(nodes.get('secondary')) : serves(nodes.get(manager));
  for (const manager of new Set(switches.map((s) => s.managedBy))) {
    const served = managerServes(manager);
    const was = memory.get(manager);
    const backAtMs = !served ? null : was && !was.served ? nowMs : (was?.backAtMs ?? null);
    memory.set(manager, { served, backAtMs });
  }
  const out: LabStatus = { switches: new Map(), services: new Map() };
  for (const sw of switches) {
    const m = memory.get(sw.managedBy)!;
    const rehomed = m.backAtMs === null || nowMs >= m.backAtMs + (sw.order + 1) * stepMs;
    out.switches.set(sw.id, m.served && rehomed ? SWITCH_IN_SERVICE : SWITCH_LOST_COMMUNICATION);
  }
  for (const server of servers) {
    const up = serves(nodes.get(server.nodeId));
    out.switches.set(server.switchId, up ? SWITCH_IN_SERVICE : SWITCH_LOST_COMMUNICATION);
    for (const s of server.services) out.services.set(`${server.serverId}/${s.name}`, up ? SERVICE_RUNNING : SERVICE_STOPPED);
  }
  return out;
}
