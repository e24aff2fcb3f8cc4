import type { HqwatchConfig } from './config.ts';
import { nodeIds } from './config.ts';
import type { EngineCore, NodeTracker, RawNodeState } from './engine-types.ts';
import { initialHqMachine, nextHq } from './hq-machine.ts';
import { initialNodeTracker, nextNodeTracker } from './node-status.ts';
import { PRIMARY_ID, SECONDARY_ID } from './types.ts';

/** What one monitor round observed: the raw state per node (`null` = late round, not counted). */
export interface RoundObservation {
  raw: Record<string, RawNodeState | null>;
  /** The monitor cannot see the network (witness lost or its own interface down). */
  blind: boolean;
}

/** A fresh core for `config`: every node unknown, HQ starting. */
export function initialCore(config: HqwatchConfig, now: string): EngineCore {
  return {
    hq: initialHqMachine(now),
    nodes: Object.fromEntries(nodeIds(config).map((id) => [id, initialNodeTracker(now)])),
  };
}

/**
 * Keeps the trackers of nodes that still exist after a config change and starts the new ones
 * fresh, so a reload does not reset what is known about unchanged nodes.
 */
export function reconcileCore(core: EngineCore, config: HqwatchConfig, now: string): EngineCore {
  const nodes: Record<string, NodeTracker> = {};
  for (const id of nodeIds(config)) nodes[id] = core.nodes[id] ?? initialNodeTracker(now);
  return { hq: core.hq, nodes };
}

/**
 * One round of the live path: debounce each node, then step the HQ state machine on the debounced
 * statuses. While blind, node trackers are left as they were: nothing is declared down.
 */
export function stepCore(config: HqwatchConfig, core: EngineCore, round: RoundObservation, now: string): EngineCore {
  const { failAfter, recoverAfter, flap } = config.monitor;
  const opts = { failAfter, recoverAfter, flapEnter: flap.enter, flapLeave: flap.leave };
  const nodes: Record<string, NodeTracker> = {};
  for (const id of nodeIds(config)) {
    const prev = core.nodes[id] ?? initialNodeTracker(now);
    nodes[id] = round.blind ? prev : nextNodeTracker(prev, round.raw[id] ?? null, now, opts);
  }
  const hq = nextHq(core.hq, { primary: nodes[PRIMARY_ID]!.status, secondary: nodes[SECONDARY_ID]!.status, blind: round.blind }, now, {
    recoverAfter,
  });
  return { hq, nodes };
}
