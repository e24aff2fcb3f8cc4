import { PRIMARY_ID, SECONDARY_ID } from '@hqwatch/shared';
import type { Lab } from './lab.ts';
import type { NodeEndpoints } from './sim-node.ts';
import type { LabNodeSpec, LabTopology } from './topology.ts';

export interface LabMonitorSettings {
  intervalMs: number;
  timeoutMs: number;
  failAfter: number;
  recoverAfter: number;
  expectedWindow: { minMs: number; maxMs: number };
  /** The status database the lab drives (`--status-db`), read by the monitor. */
  statusDb?: { url: string; configDatabase: string; intervalMs: number; timeoutMs: number };
  /** Reading needs a login, as `serve` has by default; otherwise anyone may read (`auth.anonymous: viewer`), as the demo lets them. */
  loginRequired?: boolean;
}

type RawProbe = Record<string, unknown>;
type RawNode = { name: string; address: string; probes: RawProbe[] };

const ms = (value: number) => `${Math.round(value)}ms`;

/** The host-port probe: reachability only, the stand-in for ping on loopback. */
function hostProbe(at: NodeEndpoints): RawProbe {
  return { kind: 'tcp', port: at.ports.host, role: 'host' };
}

function hqNode(spec: LabNodeSpec, at: NodeEndpoints): RawNode {
  return {
    name: spec.name,
    address: at.address,
    probes: [
      { kind: 'tcp', port: at.ports.database },
      { kind: 'sip', port: at.ports['call-control'] },
      { kind: 'http', url: `http://${at.address}:${at.ports.director}/ShoreWareDirector/` },
      hostProbe(at),
    ],
  };
}

/**
 * A monitor config (the raw document, durations as strings, as a YAML file would hold) whose
 * nodes and probes point at the running lab's listeners, fallback ports included. The lab is on
 * loopback: reading needs no login unless `loginRequired`.
 */
export function labConfig(topology: LabTopology, lab: Lab, settings: LabMonitorSettings): Record<string, unknown> {
  const byRole = (role: LabNodeSpec['role']) => topology.nodes.filter((n) => n.role === role);
  const single = (role: LabNodeSpec['role']) => {
    const [spec, extra] = byRole(role);
    if (!spec || extra) throw new Error(`lab topology needs exactly one ${role} node`);
    return spec;
  };
  const primary = single('hq-primary');
  const secondary = single('hq-secondary');
  if (primary.id !== PRIMARY_ID || secondary.id !== SECONDARY_ID)
    throw new Error(`the HQ pair's ids must be ${PRIMARY_ID} and ${SECONDARY_ID}`);
  const witness = byRole('witness').map((spec) => {
    const at = lab.endpoints(spec.id);
    return { kind: 'tcp', host: at.address, port: at.ports.witness };
  });
  return {
    monitor: {
      interval: ms(settings.intervalMs),
      timeout: ms(settings.timeoutMs),
      failAfter: settings.failAfter,
      recoverAfter: settings.recoverAfter,
      expectedWindow: { min: ms(settings.expectedWindow.minMs), max: ms(settings.expectedWindow.maxMs) },
      ...(witness.length > 0 && { witness }),
    },
    headquarters: {
      primary: hqNode(primary, lab.endpoints(primary.id)),
      secondary: hqNode(secondary, lab.endpoints(secondary.id)),
    },
    servers: byRole('distributed').map((spec) => {
      const at = lab.endpoints(spec.id);
      return {
        id: spec.id,
        name: spec.name,
        address: at.address,
        drs: spec.drs ?? false,
        probes: [{ kind: 'sip', port: at.ports['call-control'] }, hostProbe(at)],
      };
    }),
    drs: { enabled: true },
    sites: topology.sites.map((site) => ({ ...site, drs: [...site.drs] })),
    ...(!settings.loginRequired && { auth: { anonymous: 'viewer' } }),
    ...(settings.statusDb && {
      statusDb: {
        url: settings.statusDb.url,
        interval: ms(settings.statusDb.intervalMs),
        connectTimeout: ms(settings.statusDb.timeoutMs),
        queryTimeout: ms(settings.statusDb.timeoutMs),
        schema: { configDatabase: settings.statusDb.configDatabase },
      },
    }),
  };
}
