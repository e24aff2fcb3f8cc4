import type { ProbeView } from '@hqwatch/shared';
import type { MinuteStats } from './rollup-codec.ts';

/** A probe as the rollups know it. */
export interface ProbeKey {
  nodeId: string;
  kind: string;
  target: string;
}

export interface ProbeMinute extends MinuteStats {
  probe: ProbeKey;
}

interface Accumulator {
  probe: ProbeKey;
  minute: number;
  samples: number;
  failures: number;
  timed: number;
  sum: number;
  min: number;
  max: number;
}

function finish(acc: Accumulator): ProbeMinute {
  const timed = acc.timed > 0;
  return {
    probe: acc.probe,
    minute: acc.minute,
    samples: acc.samples,
    failures: acc.failures,
    min: timed ? acc.min : null,
    avg: timed ? acc.sum / acc.timed : null,
    max: timed ? acc.max : null,
  };
}

/**
 * Folds every probe result into per-minute figures in memory, so the database gets one write a
 * minute instead of one per sample. Time comes from the samples, never from a clock.
 */
export function createRollupAggregator() {
  const open = new Map<string, Accumulator>();
  const done: ProbeMinute[] = [];
  return {
    add(nodeId: string, probes: readonly ProbeView[], atMs: number): void {
      const minute = Math.floor(atMs / 60_000);
      for (const p of probes) {
        const key = `${nodeId}\u0000${p.kind}\u0000${p.target}`;
        let acc = open.get(key);
        if (acc && acc.minute !== minute) {
          done.push(finish(acc));
          acc = undefined;
        }
        if (!acc) {
          acc = {
            probe: { nodeId, kind: p.kind, target: p.target },
            minute,
            samples: 0,
            failures: 0,
            timed: 0,
            sum: 0,
            min: Infinity,
            max: -Infinity,
          };
          open.set(key, acc);
        }
        acc.samples += 1;
        if (!p.ok) acc.failures += 1;
        else if (p.latencyMs !== null) {
          acc.timed += 1;
          acc.sum += p.latencyMs;
          acc.min = Math.min(acc.min, p.latencyMs);
          acc.max = Math.max(acc.max, p.latencyMs);
        }
      }
    },
    /** Completed minutes before `minute`, removed from memory. */
    takeBefore(minute: number): ProbeMinute[] {
      for (const [key, acc] of open) {
        if (acc.minute < minute) {
          done.push(finish(acc));
          open.delete(key);
        }
      }
      return done.splice(0);
    },
    /** Everything, the current minute included (on close). */
    takeAll(): ProbeMinute[] {
      return this.takeBefore(Infinity);
    },
  };
}
