/**
 * Client benchmark (not a test): gzipped JS of the build, time from navigation to the first state on
 * screen, and the longest main-thread task while 500 sites change every second. A stand-in server
 * on 127.0.0.1 serves client/dist and plays synthetic states, so the figures depend on the client
 * alone. Run after `npm run build -w @hqwatch/client`:  npx tsx bench/client/client.bench.ts
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@hqwatch/e2e/chromium';
import { figure, type BrowserFigure } from './figures.ts';
import { bundleSize } from './bundle-size.ts';
import { sleep } from '../lib/stats.ts';
import { mainThreadTasks } from './main-thread.ts';
import { startBenchServer, type BenchServer } from './bench-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'client/dist');
const SITES = 500;
/** The demo's topology: 12 sites. */
const DEMO_SITES = 12;
const FIRST_STATE_MARK = 'hqwatch:first-state';

export type ClientFigure = BrowserFigure;

export interface ClientBenchResult {
  figures: Record<string, ClientFigure>;
}

export interface ClientBenchOptions {
  log?: (line: string) => void;
  /** Fewer and shorter runs, to check the benchmark itself. */
  quick?: boolean;
}

/** Navigation to the first state on screen (the client's own performance mark), and DOMContentLoaded as the baseline. */
async function firstState(browser: Browser, url: string): Promise<{ firstMs: number; domMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(url);
  const handle = await page.waitForFunction((mark) => performance.getEntriesByName(mark)[0]?.startTime, FIRST_STATE_MARK, {
    timeout: 30_000,
  });
  const firstMs = (await handle.jsonValue()) as number;
  const domMs = await page.evaluate(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  );
  await context.close();
  return { firstMs, domMs };
}

/** Long tasks seen by the page itself (≥ 50 ms by the API's definition). */
async function observeLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const found: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = found;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => found.push(entry.duration))).observe({ type: 'longtask' });
  });
}

/** Where the longest task is measured: the dashboard, or the wall at a screen size with the failover toggling every `toggleEvery` changes. */
export interface Target {
  path: '/' | '/wall';
  viewport: { width: number; height: number };
  toggleEvery: number;
  /** All distributed servers go down or come back at every change: 400 of the 500 sites change. */
  churn?: boolean;
  /** The failover window is open from before the page loads. */
  failing?: boolean;
}

export const DASHBOARD: Target = { path: '/', viewport: { width: 1920, height: 1080 }, toggleEvery: 5 };

/**
 * Changes played before the steady state is measured: the first changes after a load run code,
 * styles and glyphs for the first time. Their longest task is reported apart (`firstChangesMs`),
 * never dropped.
 */
export const WARM_CHANGES = 3;

/**
 * The longest main-thread task (trace) and the Long Tasks API's count while `play` runs for
 * `seconds` after {@link WARM_CHANGES} changes; the longest task of those first changes beside it.
 */
export async function longestTask(
  browser: Browser,
  server: BenchServer,
  seconds: number,
  play: boolean,
  target: Target = DASHBOARD,
): Promise<{ longestMs: number; longestCpuMs: number; firstChangesMs: number; longTasks: number }> {
  server.setFailing(!!target.failing);
  const context = await browser.newContext({ viewport: target.viewport });
  const page = await context.newPage();
  await page.goto(`${server.url}${target.path}`);
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, FIRST_STATE_MARK, { timeout: 30_000 });
  // Let the first render, the lazy charts and the history requests settle: the figure is steady state.
  if (target.path === '/wall')
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="wall-map"] .tile').length > 0 &&
        document.querySelectorAll('[data-testid="wall-map"] [data-group]').length > 1,
      null,
      {
        timeout: 30_000,
      },
    );
  else
    await page.waitForFunction(
      () => document.querySelectorAll('canvas').length > 0 || document.querySelectorAll('.chart-note').length >= 2,
      null,
      { timeout: 30_000 },
    );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))));
  await observeLongTasks(page);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const traced = performance.now();
  const seqBefore = server.state().seq;
  let warmEndMs = 0;
  if (play) {
    server.play(1000, target.toggleEvery, target.churn);
    while (server.state().seq < seqBefore + WARM_CHANGES) await sleep(20);
    // The last warm-up change's frames are drawn within half a second; the next change comes at 1 s.
    warmEndMs = performance.now() - traced + 500;
  }
  await page.waitForFunction(([until]) => Date.now() >= until, [Date.now() + seconds * 1000], {
    timeout: (seconds + 30) * 1000,
    polling: 250,
  });
  server.stop();
  const trace = await browser.stopTracing();
  // With HQW_TRACE_DIR=dir, each run's trace is kept there (for profile-live's reading of it: --trace FILE).
  if (process.env.HQW_TRACE_DIR)
    writeFileSync(
      path.join(
        process.env.HQW_TRACE_DIR,
        `${target.path === '/' ? 'dashboard' : 'wall'}-${target.viewport.width}-${target.toggleEvery}-${Date.now()}.json`,
      ),
      trace,
    );
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length);
  const all = mainThreadTasks(trace);
  await context.close();
  if (play && server.state().seq - seqBefore < seconds - 2) throw new Error('the stand-in server sent fewer updates than planned');
  const steady = all.filter((t) => t.atMs > warmEndMs);
  const first = all.filter((t) => t.atMs <= warmEndMs);
  return {
    longestMs: Math.max(0, ...steady.map((t) => t.wallMs)),
    longestCpuMs: Math.max(0, ...steady.map((t) => t.cpuMs)),
    firstChangesMs: Math.max(0, ...first.map((t) => t.wallMs)),
    longTasks,
  };
}

/** Runs the client benchmark and returns its figures; exported for the benchmark suite. */
export async function runClientBench(options: ClientBenchOptions = {}): Promise<ClientBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('client/dist is missing: run `npm run build -w @hqwatch/client` first');
  const loads = options.quick ? 3 : 7;
  const seconds = options.quick ? 8 : 20;
  const loadRuns = options.quick ? 1 : 3;

  const size = await bundleSize(DIST);
  log(`bundle: ${size.allKb} KB gzipped JS in all, ${size.firstLoadKb} KB on first load, ${size.cssKb} KB CSS`);

  const server = await startBenchServer(DIST, SITES);
  const demo = await startBenchServer(DIST, DEMO_SITES);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const first: number[] = [];
    const dom: number[] = [];
    const firstDemo: number[] = [];
    const domDemo: number[] = [];
    for (let i = 0; i < loads; i++) {
      // The demo's size and the largest, turn about, so whatever else the machine does hits both.
      const small = await firstState(browser, demo.url);
      firstDemo.push(small.firstMs);
      domDemo.push(small.domMs);
      const run = await firstState(browser, server.url);
      first.push(run.firstMs);
      dom.push(run.domMs);
      log(
        `first state ${i + 1}/${loads}: ${DEMO_SITES} sites ${small.firstMs.toFixed(0)} ms (DOMContentLoaded ${small.domMs.toFixed(0)} ms), ` +
          `${SITES} sites ${run.firstMs.toFixed(0)} ms (DOMContentLoaded ${run.domMs.toFixed(0)} ms)`,
      );
    }
    const busy: number[] = [];
    const busyCpu: number[] = [];
    const busyFirst: number[] = [];
    const idle: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < loadRuns; i++) {
      const idleRun = await longestTask(browser, server, Math.min(seconds, 8), false);
      idle.push(idleRun.longestMs);
      const run = await longestTask(browser, server, seconds, true);
      busy.push(run.longestMs);
      busyCpu.push(run.longestCpuMs);
      busyFirst.push(run.firstChangesMs);
      counts.push(run.longTasks);
      log(
        `longest task ${i + 1}/${loadRuns}: ${run.longestMs.toFixed(1)} ms (${run.longestCpuMs.toFixed(1)} ms on CPU) with ${SITES} sites changing every second; ` +
          `${run.longTasks} tasks ≥ 50 ms; idle page ${idleRun.longestMs.toFixed(1)} ms`,
      );
    }
    // The wall, in an open failover: every second all 20 distributed servers go down or come back,
    // so 400 of the 500 sites change their tile (and the 20 servers their chip); at 1080p (map
    // pages turning) and at 4K (all at once). Then the failover opening and closing every 5 s: the
    // banner comes and goes, so the map is laid out again for its new height.
    const wall: Record<'1080p' | '4K' | '4K, window toggling', number[]> = { '1080p': [], '4K': [], '4K, window toggling': [] };
    const wallCpu: number[] = [];
    const wallFirst: number[] = [];
    const wallIdle: number[] = [];
    for (let i = 0; i < loadRuns; i++) {
      for (const [name, target] of [
        ['1080p', { path: '/wall', viewport: { width: 1920, height: 1080 }, toggleEvery: 0, churn: true, failing: true }],
        ['4K', { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 0, churn: true, failing: true }],
        ['4K, window toggling', { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 5, churn: true, failing: true }],
      ] as const) {
        const run = await longestTask(browser, server, seconds, true, target);
        wall[name].push(run.longestMs);
        if (name === '4K') {
          wallCpu.push(run.longestCpuMs);
          wallFirst.push(run.firstChangesMs);
        }
        log(
          `wall ${name} longest task ${i + 1}/${loadRuns}: ${run.longestMs.toFixed(1)} ms (${run.longestCpuMs.toFixed(1)} ms on CPU), ` +
            `${run.longTasks} tasks ≥ 50 ms; first ${WARM_CHANGES} changes ${run.firstChangesMs.toFixed(1)} ms`,
        );
      }
      const idleRun = await longestTask(browser, server, Math.min(seconds, 8), false, {
        path: '/wall',
        viewport: { width: 3840, height: 2160 },
        toggleEvery: 0,
        failing: true,
      });
      wallIdle.push(idleRun.longestMs);
      log(`wall 4K idle longest task ${i + 1}/${loadRuns}: ${idleRun.longestMs.toFixed(1)} ms`);
    }
    return {
      figures: {
        'Wall: longest main-thread task, 500 sites changing every second, 1080p': figure(wall['1080p'], 'ms', 50),
        'Wall: longest main-thread task, 500 sites changing every second, 4K': figure(wall['4K'], 'ms', 50),
        'Wall: longest main-thread task on CPU, 4K, same run': figure(wallCpu, 'ms', null),
        [`Wall: longest main-thread task of the first ${WARM_CHANGES} changes after loading, 4K`]: figure(wallFirst, 'ms', null),
        'Wall: longest main-thread task, 4K, failover window opening and closing every 5 s': figure(wall['4K, window toggling'], 'ms', 50),
        'Wall: longest main-thread task, idle, 4K (baseline)': figure(wallIdle, 'ms', null),
        'JS gzipped, whole build': figure([size.allKb], 'KB', 250),
        'JS gzipped, first load': figure([size.firstLoadKb], 'KB', null),
        'Time to first state, demo (12 sites)': figure(firstDemo, 'ms', 1000),
        'DOMContentLoaded, demo (baseline)': figure(domDemo, 'ms', null),
        'Time to first state': figure(first, 'ms', 1000),
        'DOMContentLoaded (baseline)': figure(dom, 'ms', null),
        'Longest main-thread task, 500 sites, 1 change/s': figure(busy, 'ms', 50),
        'Longest main-thread task on CPU, same run': figure(busyCpu, 'ms', null),
        [`Longest main-thread task of the first ${WARM_CHANGES} changes after loading`]: figure(busyFirst, 'ms', null),
        'Tasks of 50 ms or more during that run': figure(counts, 'tasks', null),
        'Longest main-thread task, idle page (baseline)': figure(idle, 'ms', null),
      },
    };
  } finally {
    await browser.close();
    await server.close();
    await demo.close();
  }
}

function printTable(result: ClientBenchResult): void {
  const rows = Object.entries(result.figures).map(([name, f]) => [
    name,
    `${f.median} ${f.unit}`,
    `${f.p95} ${f.unit}`,
    f.goal === null ? '' : `< ${f.goal} ${f.unit}`,
    f.goal === null ? '' : f.median < f.goal ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'median', 'p95', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runClientBench({ quick: process.argv.includes('--quick') });
  printTable(result);
}
