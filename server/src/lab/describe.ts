import type { Lab } from './lab.ts';
import type { SimNodeView } from './sim-node.ts';

function describeNode(node: SimNodeView): string {
  const p = node.ports;
  const services =
    node.role === 'witness'
      ? `witness tcp/${p.witness}`
      : [
          `database tcp/${p.database}`,
          `director http://${node.address}:${p.director}/ShoreWareDirector/`,
          `sip udp/${p['call-control']},${p.sip}`,
          `host tcp/${p.host}`,
        ].join('  ');
  return `  ${node.id.padEnd(11)} ${node.name.padEnd(30)} ${node.address.padEnd(12)} ${services}  [${node.state}]`;
}

/** The lines a person needs to point a monitor, a SIP tool or a browser at the lab. */
export function describeLab(lab: Lab): string[] {
  return ['lab: simulated servers', ...lab.states().map(describeNode)];
}
