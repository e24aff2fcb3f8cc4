import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import { ELSEWHERE } from '../lib/peers.ts';
import { summarize } from '../lib/stats.ts';
import type { FanoutFigures } from '../server/fanout.bench.ts';
import type { Suite } from './suite.ts';

const median = (runs: number[]) => summarize(runs).median;

/** Figures of one fan-out run; `prefix` tells the largest topology's payload from the demo's. */
function figuresOf(result: FanoutFigures, goal: { clients: number; p99Ms: number } | null): Figure[] {
  const prefix = result.topology === 'demo' ? 'fanout' : `fanout.${result.topology}`;
  const payload = `${Math.round((result.sizes[0]?.payloadBytes ?? 0) / 1024)} KB`;
  return result.sizes.flatMap(({ clients: n, hqwatch: hq, ws }) => {
    const label = `${n.toLocaleString('en-US')} clients${result.topology === 'demo' ? '' : `, ${payload} change (${result.topology} topology)`}`;
    const p99Goal =
      goal && n === goal.clients
        ? { text: `< ${goal.p99Ms} ms (median of the per-change p99)`, met: median(hq.p99Runs) < goal.p99Ms }
        : null;
    return [
      figureOf(`${prefix}.${n}.p50`, `${label}: p50 delivery latency`, 'ms', hq.p50Runs, 'state change', {
        baseline: baselineOf('bare ws', median(hq.p50Runs), median(ws.p50Runs)),
      }),
      figureOf(`${prefix}.${n}.p99`, `${label}: p99 delivery latency`, 'ms', hq.p99Runs, 'state change', {
        baseline: baselineOf('bare ws', median(hq.p99Runs), median(ws.p99Runs)),
        ...(p99Goal && { goal: p99Goal }),
        ...(hq.missing > 0 && { note: `${hq.missing} deliveries missing` }),
      }),
      figureOf(`${prefix}.${n}.cpu`, `${label}: server CPU per state change`, 'ms', hq.cpuMsRuns, 'state change', {
        baseline: baselineOf('bare ws', median(hq.cpuMsRuns), median(ws.cpuMsRuns)),
      }),
      figureOf(`${prefix}.${n}.rss`, `${label}: server RSS, all connected`, 'MB', [hq.rssMb], 'measurement', {
        baseline: baselineOf('bare ws', hq.rssMb, ws.rssMb),
      }),
    ];
  });
}

export const fanout: Suite = {
  name: 'fanout',
  title: 'Fan-out: one state change to N socket.io clients, against a bare ws broadcast of the same frames',
  source: 'bench/server/fanout.bench.ts',
  timeoutMinutes: () => 25,
  async run({ quick, log }) {
    const { runFanoutBench, FANOUT_GOAL } = await import('../server/fanout.bench.ts');
    const demo = await runFanoutBench({ sizes: quick ? [100, 1_000] : [100, 1_000, 5_000], changes: quick ? 3 : 10, log });
    const largest = await runFanoutBench({ sizes: [quick ? 100 : 1_000], changes: quick ? 2 : 5, topology: 'largest', log });
    const bytes = (r: FanoutFigures) => (r.sizes[0]?.payloadBytes ?? 0).toLocaleString('en-US');
    return {
      figures: [...figuresOf(demo, FANOUT_GOAL), ...figuresOf(largest, null)],
      notes: [
        `The change: a failover of the demo topology (12 sites), ${bytes(demo)} bytes on the wire, ${demo.changes} changes per size after a warm-up one; then the largest topology's (500 sites), ${bytes(largest)} bytes, ${largest.changes} changes.`,
        'Server, hqwatch clients and baseline clients run in separate processes (at most 2,500 connections each) on the 2 shared cores: clients decoding thousands of frames are part of every latency, for hqwatch and the baseline alike, and set the pace with the 500-site payload.',
        'Latency = receive − send on the machine clock: the server stamps just before broadcasting, each client process on delivery to its handler. Changes alternate between hqwatch and the baseline.',
        `Measured elsewhere: ${ELSEWHERE.socketMessages}.`,
      ],
    };
  },
};
