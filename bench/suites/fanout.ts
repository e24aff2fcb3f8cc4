import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import { ELSEWHERE } from '../lib/peers.ts';
import { summarize } from '../lib/stats.ts';
import type { FanoutFigures } from '../server/fanout.bench.ts';
import type { Suite } from './suite.ts';

const median = (runs: number[]) => summarize(runs).median;

/** Goals of issue 15 (a lean wire), measured against bare `ws` in the same run. */
const WIRE_GOALS = {
  /** 500-site failover change on the wire. */
  largestChangeBytes: 40 * 1024,
  /** Full 500-site state, before compression. */
  largestSnapshotBytes: 60 * 1024,
  /** 1,000 clients, the 500-site change: p99. */
  largestP99Ms: 300,
  /** 5,000 clients, demo-size change: server CPU per change ÷ bare ws. */
  cpuRatio5000: 1.2,
} as const;

/** Figures of one fan-out run; `prefix` tells the largest topology's payload, and the deflate pass, from the demo's. */
function figuresOf(result: FanoutFigures, goal: { clients: number; p99Ms: number } | null): Figure[] {
  const prefix = ['fanout', result.deflate ? 'deflate' : null, result.topology === 'demo' ? null : result.topology]
    .filter(Boolean)
    .join('.');
  const payload = `${Math.round((result.sizes[0]?.payloadBytes ?? 0) / 1024)} KB`;
  const largest = result.topology === 'largest';
  return result.sizes.flatMap(({ clients: n, hqwatch: hq, ws }) => {
    const label =
      `${n.toLocaleString('en-US')} clients` +
      (largest ? `, ${payload} change (${result.topology} topology)` : '') +
      (result.deflate ? ', permessage-deflate on' : '');
    const p99Goal =
      goal && n === goal.clients
        ? { text: `< ${goal.p99Ms} ms (median of the per-change p99)`, met: median(hq.p99Runs) < goal.p99Ms }
        : largest && n === 1_000
          ? { text: `≤ ${WIRE_GOALS.largestP99Ms} ms (median of the per-change p99)`, met: median(hq.p99Runs) <= WIRE_GOALS.largestP99Ms }
          : null;
    const cpuRatio = median(hq.cpuMsRuns) / median(ws.cpuMsRuns);
    const cpuGoal =
      !largest && !result.deflate && n === 5_000
        ? { text: `≤ ${WIRE_GOALS.cpuRatio5000}× bare ws in the same run`, met: cpuRatio <= WIRE_GOALS.cpuRatio5000 }
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
        ...(cpuGoal && { goal: cpuGoal }),
      }),
      figureOf(`${prefix}.${n}.rss`, `${label}: server RSS, all connected`, 'MB', [hq.rssMb], 'measurement', {
        baseline: baselineOf('bare ws', hq.rssMb, ws.rssMb),
      }),
    ];
  });
}

/** The bytes of the 500-site change and of the full 500-site state, against their goals. */
function bytesOf(largest: FanoutFigures): Figure[] {
  const size = largest.sizes[0];
  if (!size) return [];
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  return [
    figureOf('fanout.largest.change-bytes', '500-site failover change on the wire', 'KB', [kb(size.payloadBytes)], 'measurement', {
      goal: { text: `≤ ${WIRE_GOALS.largestChangeBytes / 1024} KB`, met: size.payloadBytes <= WIRE_GOALS.largestChangeBytes },
    }),
    figureOf(
      'fanout.largest.snapshot-bytes',
      'full 500-site state (state:sync), before compression',
      'KB',
      [kb(size.snapshotBytes)],
      'measurement',
      {
        goal: { text: `≤ ${WIRE_GOALS.largestSnapshotBytes / 1024} KB`, met: size.snapshotBytes <= WIRE_GOALS.largestSnapshotBytes },
      },
    ),
  ];
}

/** How permessage-deflate changes p99 and server CPU, per size: on ÷ off, each against its own bare ws. */
function deflateNotes(off: FanoutFigures, on: FanoutFigures): string[] {
  return on.sizes.flatMap((d) => {
    const plain = off.sizes.find((s) => s.clients === d.clients);
    if (!plain) return [];
    const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2);
    return [
      `permessage-deflate at ${d.clients.toLocaleString('en-US')} clients: p99 ${median(d.hqwatch.p99Runs).toFixed(0)} ms (off: ${median(plain.hqwatch.p99Runs).toFixed(0)} ms), ` +
        `server CPU per change ${median(d.hqwatch.cpuMsRuns).toFixed(0)} ms (off: ${median(plain.hqwatch.cpuMsRuns).toFixed(0)} ms), ` +
        `×${ratio(d.hqwatch.cpuMsRuns, d.ws.cpuMsRuns)} bare ws (off: ×${ratio(plain.hqwatch.cpuMsRuns, plain.ws.cpuMsRuns)}).`,
    ];
  });
}

export const fanout: Suite = {
  name: 'fanout',
  title: 'Fan-out: one state change to N socket.io clients, against a bare ws broadcast of the same frames',
  source: 'bench/server/fanout.bench.ts',
  timeoutMinutes: () => 45,
  async run({ quick, log }) {
    const { runFanoutBench, FANOUT_GOAL } = await import('../server/fanout.bench.ts');
    const demo = await runFanoutBench({ sizes: quick ? [100, 1_000] : [100, 1_000, 5_000], changes: quick ? 3 : 10, log });
    const largest = await runFanoutBench({ sizes: [quick ? 100 : 1_000], changes: quick ? 2 : 5, topology: 'largest', log });
    const deflate = await runFanoutBench({ sizes: quick ? [100] : [1_000, 5_000], changes: quick ? 2 : 6, deflate: true, log });
    const bytes = (r: FanoutFigures) => (r.sizes[0]?.payloadBytes ?? 0).toLocaleString('en-US');
    return {
      figures: [...figuresOf(demo, FANOUT_GOAL), ...figuresOf(largest, null), ...bytesOf(largest), ...figuresOf(deflate, null)],
      notes: [
        `The change: a failover of the demo topology (12 sites), ${bytes(demo)} bytes on the wire, ${demo.changes} changes per size after a warm-up one; then the largest topology's (500 sites), ${bytes(largest)} bytes, ${largest.changes} changes; then the demo's again with permessage-deflate on the hqwatch side, ${deflate.changes} changes.`,
        "The wire (contract version 3, `docs/wire.md`): reasons as codes, each message with its own table of service states, deltas at the grain of a service and a probe field, sites that changed alike sent once as a group of ids. Every frame is encoded once per change and written as one buffer straight to each settled WebSocket, without engine.io's per-packet cycle.",
        ...deflateNotes(demo, deflate),
        'Server, hqwatch clients and baseline clients run in separate processes (at most 2,500 connections each) on the 2 shared cores: clients decoding thousands of frames are part of every latency, for hqwatch and the baseline alike.',
        'Latency = receive − send on the machine clock: the server stamps just before broadcasting, each client process on delivery to its handler. Changes alternate between hqwatch and the baseline.',
        `Measured elsewhere: ${ELSEWHERE.socketMessages}.`,
      ],
    };
  },
};
