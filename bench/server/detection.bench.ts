/**
 * Detection latency: from stopping the HQ primary's services in the lab to a socket.io client of
 * hqwatch receiving `failing-over`, against the ideal of interval × failAfter. Two trial sets run
 * side by side, each with its own lab (127.201.x.y, 127.202.x.y) and its own server:
 * - fast: interval 1 s, failAfter 2 (timeout 500 ms);
 * - defaults: interval 2 s, failAfter 3, timeout 1 s.
 * Each trial waits a random fraction of an interval first, so the stop falls anywhere between two
 * rounds, then restores the primary and waits for `primary-active` before the next trial.
 *
 * Trials follow each other faster than a real primary ever fails, which Nagios-style flap
 * detection would rightly call flapping; the benchmark turns it off (thresholds at 100%) so every
 * trial measures a clean detection.
 *
 * Goal: median within 10% of interval × failAfter.
 * Run: npx tsx bench/server/detection.bench.ts [--trials 20]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { validateConfig, type ClientToServerEvents, type HqState, type LiveState, type ServerToClientEvents } from '@hqwatch/shared';
import { createApp } from '@hqwatch/server/app';
import { demoTopology, labConfig, startLab } from '@hqwatch/server/lab';
import { createLogger } from '@hqwatch/server/logger';
import { LOOPBACK_CROWD_LIMITS, steadySelfHealth } from '../lib/app-parts.ts';
import { round, sleep, summarize, waitFor, wallClockMs, type Summary } from '../lib/stats.ts';

export interface DetectionSetup {
  name: string;
  octet: number;
  intervalMs: number;
  failAfter: number;
  timeoutMs: number;
  recoverAfter: number;
}

export const DETECTION_SETUPS: DetectionSetup[] = [
  { name: 'fast', octet: 201, intervalMs: 1_000, failAfter: 2, timeoutMs: 500, recoverAfter: 2 },
  { name: 'defaults', octet: 202, intervalMs: 2_000, failAfter: 3, timeoutMs: 1_000, recoverAfter: 2 },
];
export const DETECTION_GOAL = { withinFraction: 0.1 };

export interface DetectionFigures extends DetectionSetup {
  idealMs: number;
  /** Milliseconds from the stop to the client's `failing-over`, one per trial. */
  runs: number[];
  latency: Summary;
  /** Median ÷ ideal. */
  ratio: number;
  met: boolean;
  /** Trials that timed out (not in `runs`). */
  failed: number;
}

/** A socket.io client that keeps the HQ state as the dashboard would: snapshot, then deltas. */
async function watchHq(url: string) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], forceNew: true });
  let state: HqState = 'starting';
  let changedAt = 0;
  socket.on('state:changed', (delta) => {
    if (delta.hq && delta.hq.state !== state) {
      state = delta.hq.state;
      changedAt = wallClockMs();
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const snapshot = await new Promise<LiveState>((resolve) => socket.emit('state:sync', resolve));
  if (changedAt === 0) state = snapshot.hq.state;
  return {
    /** Resolves with the wall-clock time `target` arrived, once it has. */
    reached: (target: HqState, timeoutMs: number) => waitFor(() => state === target && changedAt, timeoutMs, `HQ state ${target}`, 2),
    close: () => socket.close(),
  };
}

async function runSetup(setup: DetectionSetup, trials: number, log: (line: string) => void): Promise<DetectionFigures> {
  const topology = demoTopology(setup.octet);
  const lab = await startLab(topology);
  const raw = labConfig(topology, lab, {
    intervalMs: setup.intervalMs,
    timeoutMs: setup.timeoutMs,
    failAfter: setup.failAfter,
    recoverAfter: setup.recoverAfter,
    expectedWindow: { minMs: 300_000, maxMs: 1_200_000 },
  }) as { monitor: Record<string, unknown> };
  raw.monitor.flap = { enter: 100, leave: 100 };
  const checked = validateConfig(raw);
  if (!checked.ok) throw new Error(`detection config refused: ${JSON.stringify(checked.errors)}`);
  const app = createApp({
    config: checked.config,
    log: createLogger('silent'),
    selfHealth: steadySelfHealth(),
    limits: LOOPBACK_CROWD_LIMITS,
  });
  const { port } = await app.listen(0, `127.${setup.octet}.0.1`);
  const watcher = await watchHq(`http://127.${setup.octet}.0.1:${port}`);
  const idealMs = setup.intervalMs * setup.failAfter;
  const runs: number[] = [];
  let failed = 0;
  try {
    await watcher.reached('primary-active', 30_000);
    for (let trial = 0; trial < trials; trial++) {
      await sleep(Math.random() * setup.intervalMs);
      const stoppedAt = wallClockMs();
      await lab.setState('primary', 'stopped');
      try {
        const seenAt = await watcher.reached('failing-over', idealMs * 3 + 5_000);
        runs.push(round(seenAt - stoppedAt));
      } catch {
        failed += 1;
      }
      await lab.setState('primary', 'serving');
      await watcher.reached('primary-active', setup.intervalMs * (setup.recoverAfter + setup.failAfter + 2) + 10_000);
      if ((trial + 1) % 5 === 0) log(`  detection ${setup.name}: ${trial + 1}/${trials} trials`);
    }
  } finally {
    watcher.close();
    await app.close();
    await lab.close();
  }
  const latency = summarize(runs);
  const ratio = round(latency.median / idealMs);
  return { ...setup, idealMs, runs, latency, ratio, met: Math.abs(ratio - 1) <= DETECTION_GOAL.withinFraction, failed };
}

/** Runs both trial sets at once and returns their figures. */
export async function runDetectionBench(options: { trials?: number; log?: (line: string) => void } = {}): Promise<DetectionFigures[]> {
  const { trials = 20, log = (line: string) => console.log(line) } = options;
  return Promise.all(DETECTION_SETUPS.map((setup) => runSetup(setup, trials, log)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { trials: { type: 'string' } } });
  const figures = await runDetectionBench({ trials: values.trials ? Number(values.trials) : undefined });
  for (const f of figures) {
    const s = f.latency;
    console.log(
      `${f.name}: interval ${f.intervalMs} ms × failAfter ${f.failAfter} = ideal ${f.idealMs} ms; ` +
        `min ${s.min} median ${s.median} p95 ${s.p95} max ${s.max} ms; median/ideal ${f.ratio} (${f.met ? 'met' : 'missed'})` +
        (f.failed ? `; ${f.failed} trials timed out` : ''),
    );
  }
}
