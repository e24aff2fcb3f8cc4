/**
 * Soak: the largest topology at 1 s with 1,000 socket.io clients for MINUTES, the primary failing
 * over every 5 minutes (stopped for a minute, so incidents open and close and 500-site deltas reach
 * every client). RSS is sampled every 10 s; growth is end against start (medians of the first
 * minute after a warm-up — a tenth of the soak, 1 to 5 minutes — and of the last minute), per hour. Goal: no more than 5% over 60 min.
 *
 * Run: npx tsx bench/server/soak.bench.ts --minutes 60
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round, sleep, summarize } from '../lib/stats.ts';
import { attachClients, startLargestMonitor } from './topology.bench.ts';

const SAMPLE_MS = 10_000;
/** A failover every 5 minutes, lasting a minute; a short soak gets three, closer together. */
const FAILOVER_EVERY_MS = 5 * 60_000;
const FAILOVER_FOR_MS = 60_000;
export const SOAK_GOAL = { percentPerHour: 5 };

export interface SoakFigures {
  minutes: number;
  clients: number;
  failovers: number;
  samples: number;
  /** MB, the first and the last minute of samples. */
  startRuns: number[];
  endRuns: number[];
  growthPercentPerHour: number;
  /** Least-squares slope of every sample. */
  slopeMbPerHour: number;
  met: boolean;
}

function slopePerHour(points: { t: number; mb: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mm = points.reduce((s, p) => s + p.mb, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.mb - mm), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

export async function runSoakBench(
  options: { minutes?: number; clients?: number; log?: (line: string) => void } = {},
): Promise<SoakFigures> {
  const { minutes = 60, clients: clientCount = 1_000, log = (line: string) => console.log(line) } = options;
  const monitor = await startLargestMonitor(1_000);
  await monitor.listen();
  const clients = await attachClients(monitor.url, clientCount);
  const points: { t: number; mb: number }[] = [];
  let failovers = 0;
  try {
    // Until the heap has grown to its working size: a tenth of the soak, between 1 and 5 minutes.
    await sleep(Math.min(5, Math.max(1, minutes / 10)) * 60_000);
    const started = performance.now();
    const end = started + minutes * 60_000;
    const every = Math.min(FAILOVER_EVERY_MS, (minutes * 60_000) / 3);
    const lasting = Math.min(FAILOVER_FOR_MS, every / 2);
    let nextFailover = started + every;
    let restoreAt = Number.POSITIVE_INFINITY;
    while (performance.now() < end) {
      await sleep(SAMPLE_MS);
      const t = performance.now() - started;
      points.push({ t, mb: round(process.memoryUsage().rss / 1024 / 1024) });
      if (performance.now() >= nextFailover) {
        await monitor.setNode('primary', 'stopped');
        failovers += 1;
        restoreAt = performance.now() + lasting;
        nextFailover += every;
      } else if (performance.now() >= restoreAt) {
        await monitor.setNode('primary', 'serving');
        restoreAt = Number.POSITIVE_INFINITY;
      }
      if (points.length % 30 === 0) log(`  soak: ${Math.round(t / 60_000)} of ${minutes} min, RSS ${points.at(-1)!.mb} MB`);
    }
  } finally {
    await clients.stop();
    await monitor.stop();
  }
  const perMinute = 60_000 / SAMPLE_MS;
  const first = points.slice(0, perMinute);
  const last = points.slice(-perMinute);
  const startRuns = first.map((p) => p.mb);
  const endRuns = last.map((p) => p.mb);
  const start = summarize(startRuns).median;
  const endMb = summarize(endRuns).median;
  const middle = (ps: typeof points) => ps.reduce((sum, p) => sum + p.t, 0) / ps.length;
  // Between the middles of the first and last minute; at least a minute, for very short soaks.
  const hours = Math.max(middle(last) - middle(first), 60_000) / 3_600_000;
  const growthPercentPerHour = round(((endMb - start) / start / hours) * 100);
  return {
    minutes,
    clients: clientCount,
    failovers,
    samples: points.length,
    startRuns,
    endRuns,
    growthPercentPerHour,
    slopeMbPerHour: round(slopePerHour(points)),
    met: growthPercentPerHour <= SOAK_GOAL.percentPerHour,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, clients: { type: 'string' } } });
  const f = await runSoakBench({
    minutes: values.minutes ? Number(values.minutes) : undefined,
    clients: values.clients ? Number(values.clients) : undefined,
  });
  console.log(
    `soak ${f.minutes} min, ${f.clients} clients, ${f.failovers} failovers: RSS ${summarize(f.startRuns).median} → ${summarize(f.endRuns).median} MB, ` +
      `${f.growthPercentPerHour}%/h (slope ${f.slopeMbPerHour} MB/h); goal ≤ ${SOAK_GOAL.percentPerHour}%/h ${f.met ? 'met' : 'missed'}`,
  );
}
