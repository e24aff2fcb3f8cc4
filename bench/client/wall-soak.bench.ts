/**
 * Wall soak (not a test): `/wall` open in Chromium at 4K on the largest topology (`hqwatch demo
 * --topology largest`) while the demo's failover and failback loop plays fast, for MINUTES. After
 * a warm-up of half that length, at every return to primary-active (the same point of each cycle),
 * once the map is drawn, the page's garbage is collected (CDP HeapProfiler.collectGarbage) and its
 * JS heap, DOM nodes and event listeners are read (CDP Performance.getMetrics). Growth per hour is
 * the Theil–Sen slope over those samples (the median of all pairwise slopes: post-GC heaps vary by a
 * few percent from sample to sample), the heap's against their mean, with its least-squares slope
 * beside it. Goal: under 2 %/h for the heap, and DOM nodes flat.
 *
 * Run after `npm run build -w @hqwatch/client`:  npx tsx bench/client/wall-soak.bench.ts --minutes 10
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@hqwatch/e2e/chromium';
import { round } from '../lib/stats.ts';
import { heapKinds, kindGrowth, type HeapKinds } from './heap-kinds.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The demo's 45-minute cycle in 22.5 s: a failover and a failback every cycle. */
const SPEED = 120;
/** Loopback octet of the lab (benchmarks use 200–219). */
const OCTET = 213;
export const WALL_SOAK_GOAL = { heapPercentPerHour: 2 };

export interface WallSoakFigures {
  minutes: number;
  /** Cycles played before the first sample. */
  warmUpCycles: number;
  cycles: number;
  /** Transitions into a failover the page itself showed. */
  failoversSeen: number;
  samples: number;
  /** Growth: Theil–Sen slope against the mean; the least-squares one beside it. */
  heapMb: { start: number; end: number; percentPerHour: number; leastSquaresPercentPerHour: number };
  nodes: { start: number; end: number; perHour: number };
  listeners: { start: number; end: number; perHour: number };
  /** How the JS heap's kinds of objects changed from the first sample to the last (heap snapshots), in KB. */
  heapByKind: { kind: string; kb: number }[];
  met: boolean;
}

interface Sample {
  t: number;
  heap: number;
  nodes: number;
  listeners: number;
}

/** Theil–Sen: the median of the slopes between every two samples, per hour; one odd sample cannot tilt it. */
function robustSlopePerHour(points: { t: number; v: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++)
      if (points[j]!.t !== points[i]!.t) slopes.push((points[j]!.v - points[i]!.v) / (points[j]!.t - points[i]!.t));
  slopes.sort((a, b) => a - b);
  return slopes.length ? slopes[Math.floor(slopes.length / 2)]! * 3_600_000 : 0;
}

function slopePerHour(points: { t: number; v: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.v - mv), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

/** `hqwatch demo --topology largest`, played fast; resolves with its dashboard URL. */
async function startDemo(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      'bin/hqwatch.mjs',
      'demo',
      '--topology',
      'largest',
      '--speed',
      String(SPEED),
      '--port',
      '0',
      '--octet',
      String(OCTET),
      '--control-port',
      '0',
      '--notify',
      'none',
      '--data',
      dataDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' } },
  );
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hqwatch demo did not start in 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`hqwatch demo exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'hqwatch listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
  });
  return { child, url };
}

export async function runWallSoakBench(options: { minutes?: number; log?: (line: string) => void } = {}): Promise<WallSoakFigures> {
  const { minutes = 10, log = (line: string) => console.log(line) } = options;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-wall-soak-'));
  const demo = await startDemo(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 3840, height: 2160 } })).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${demo.url}/wall`);
    // Not a handle: an element handle keeps its tile, and with it a detached page of tiles once
    // the map is laid out anew, alive for the whole soak (500 DOM nodes that were never the wall's).
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-map"] .tile') !== null, null, { timeout: 60_000 });
    // Count the failovers the page itself shows, from its own HQ state.
    await page.evaluate(() => {
      const w = window as unknown as { __failovers: number };
      w.__failovers = 0;
      let last = '';
      setInterval(() => {
        const state = document.querySelector('[data-testid="hq-state"]')?.getAttribute('data-state') ?? '';
        if (state === 'failing-over' && last !== 'failing-over') w.__failovers += 1;
        last = state;
      }, 100);
    });

    // One cycle: away from primary-active (a failover) and back.
    const returnToPrimary = async (): Promise<void> => {
      await page.waitForFunction(
        () => document.querySelector('[data-testid="hq-state"]')?.getAttribute('data-state') !== 'primary-active',
        null,
        {
          timeout: 120_000,
          polling: 200,
        },
      );
      await page.waitForFunction(
        () => document.querySelector('[data-testid="hq-state"]')?.getAttribute('data-state') === 'primary-active',
        null,
        {
          timeout: 120_000,
          polling: 200,
        },
      );
    };
    const sample = async (t: number): Promise<Sample> => {
      // Let the tiles drawn over the next frames and the requests of the return settle first, and
      // the map finish drawing a new layout (a sample taken mid-redraw counted fewer DOM nodes).
      await page.waitForTimeout(2_000);
      await page.waitForFunction(() => !document.querySelector('[data-testid="wall-map"] [data-staging]'), null, {
        timeout: 30_000,
        polling: 100,
      });
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
      return { t, heap: m('JSHeapUsedSize') / 1e6, nodes: m('Nodes'), listeners: m('JSEventListeners') };
    };

    // Warm-up: half the soak's length (thirty minutes for an hour), at least one: lazy chunks,
    // caches (the tile labels of each font), the first windows, Chromium's performance-timeline
    // buffers (150 layout shifts, 200 long animation frames), and above all V8's optimised code.
    // Heap snapshots of this page placed the slow growth left after a quarter-hour in compiled code
    // (InstructionStream, TrustedByteArray): at this speed, +108 KB over cycles 40–70 while the
    // application's objects, strings and arrays grew by under 2 KB; at speed 600, +215 KB over
    // cycles 15–60, then +45 KB over 60–105. Functions reach the optimising tiers by their call
    // counts, so the tail follows cycles and slows; a quarter-hour (about 38 cycles) left it in the hour.
    const warmUpMs = Math.max(60_000, (minutes * 60_000) / 2);
    const warmEnd = Date.now() + warmUpMs;
    let warmUpCycles = 0;
    while (Date.now() < warmEnd) {
      await returnToPrimary();
      warmUpCycles += 1;
    }
    const started = Date.now();
    const end = started + minutes * 60_000;
    const samples: Sample[] = [];
    let cycles = 0;
    let firstKinds: HeapKinds = {};
    while (Date.now() < end) {
      await returnToPrimary();
      cycles += 1;
      const s = await sample(Date.now() - started);
      samples.push(s);
      // After the sample's reading: the snapshot cannot weigh on it.
      if (samples.length === 1) firstKinds = await heapKinds(cdp);
      log(`cycle ${cycles}: heap ${s.heap.toFixed(2)} MB, ${s.nodes} DOM nodes, ${s.listeners} listeners`);
    }
    // Right after the last sample, in the same state of the page.
    const lastKinds = await heapKinds(cdp);
    const failoversSeen = await page.evaluate(() => (window as unknown as { __failovers: number }).__failovers);
    const edge = (pick: (s: Sample) => number, from: 'start' | 'end') => {
      const part = from === 'start' ? samples.slice(0, 3) : samples.slice(-3);
      const sorted = part.map(pick).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    const meanHeap = samples.reduce((s, x) => s + x.heap, 0) / Math.max(1, samples.length);
    const heapPoints = samples.map((s) => ({ t: s.t, v: s.heap }));
    const percentPerHour = meanHeap ? (robustSlopePerHour(heapPoints) / meanHeap) * 100 : 0;
    const leastSquaresPercentPerHour = meanHeap ? (slopePerHour(heapPoints) / meanHeap) * 100 : 0;
    return {
      minutes,
      warmUpCycles,
      cycles,
      failoversSeen,
      samples: samples.length,
      heapMb: {
        start: round(
          edge((s) => s.heap, 'start'),
          2,
        ),
        end: round(
          edge((s) => s.heap, 'end'),
          2,
        ),
        percentPerHour: round(percentPerHour, 2),
        leastSquaresPercentPerHour: round(leastSquaresPercentPerHour, 2),
      },
      nodes: {
        start: edge((s) => s.nodes, 'start'),
        end: edge((s) => s.nodes, 'end'),
        perHour: round(robustSlopePerHour(samples.map((s) => ({ t: s.t, v: s.nodes }))), 1),
      },
      listeners: {
        start: edge((s) => s.listeners, 'start'),
        end: edge((s) => s.listeners, 'end'),
        perHour: round(robustSlopePerHour(samples.map((s) => ({ t: s.t, v: s.listeners }))), 1),
      },
      heapByKind: kindGrowth(firstKinds, lastKinds),
      met: percentPerHour < WALL_SOAK_GOAL.heapPercentPerHour,
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => {
      if (demo.child.exitCode !== null) return resolve();
      demo.child.once('exit', () => resolve());
      demo.child.kill('SIGTERM');
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
  const f = await runWallSoakBench({ minutes: Number(values.minutes) });
  console.log(JSON.stringify(f, null, 2));
}
