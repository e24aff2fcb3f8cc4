/**
 * A lab in its own process, so that the simulated servers' CPU never counts as the monitor's.
 * Started by a benchmark: `lab-host.ts OCTET`. Tells the parent `{ type: 'ready', endpoints }`,
 * applies `{ type: 'set', id, state }` (answering `{ type: 'set-done', id }`) and closes when the
 * parent disconnects.
 */
import { startLab, type NodeEndpoints, type NodeState } from '@hqwatch/server/lab';
import { onParent, tellParent } from './child.ts';
import { largestTopology } from './largest.ts';

const octet = Number(process.argv[2]);
const topology = largestTopology(octet);
const lab = await startLab(topology, { log: (line) => console.error(line) });
const endpoints: Record<string, NodeEndpoints> = Object.fromEntries(lab.nodeIds().map((id) => [id, lab.endpoints(id)]));

onParent(
  (message) => {
    if (message.type !== 'set') return;
    const id = String(message.id);
    lab
      .setState(id, message.state as NodeState)
      .then(() => tellParent({ type: 'set-done', id }))
      .catch((err: unknown) => tellParent({ type: 'set-done', id, error: String(err) }));
  },
  () => void lab.close().then(() => process.exit(0)),
);
tellParent({ type: 'ready', endpoints });
