/**
 * Incident review benchmark (not a test): an incident of about four hours for 500 sites is seeded
 * into a SQLite store, the real server (createApp, its monitor left stopped) serves it and the built
 * client on 127.0.0.1, and Chromium measures
 *   - opening /incidents/:id until the timeline and the replayed view are on screen;
 *   - one scrub step, from the scrubber's input event to the replayed view painted at that moment,
 *     for moments the page has not seen (a replay request each) and for moments within a stretch
 *     it has (no request); the goal is under 50 ms;
 *   - as the baseline in the same run, the replay request alone, fetched by the page.
 * Run after `npm run build -w @hqwatch/client`:  npx tsx bench/client/incident.bench.ts [--quick]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@hqwatch/e2e/chromium';
import { figure, type BrowserFigure } from './figures.ts';
import type { TimelineEntry } from '@hqwatch/shared';
import { changePoints, stretchOf } from '@hqwatch/client/incidents/replay-cache';
import { createApp } from '@hqwatch/server/app';
import { createLogger } from '@hqwatch/server/logger';
import { LOOPBACK_CROWD_LIMITS } from '../lib/app-parts.ts';
import { seedIncident } from './incident-history.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'client/dist');
const SITES = 500;

export type IncidentFigure = BrowserFigure;

export interface IncidentBenchResult {
  setup: { sites: number; hours: number; events: number; timelineEntries: number; seedSeconds: number };
  figures: Record<string, IncidentFigure>;
}

export interface IncidentBenchOptions {
  log?: (line: string) => void;
  /** Fewer runs, to check the benchmark itself. */
  quick?: boolean;
}

/** Navigation to the timeline drawn and the replayed view showing its first moment. */
async function open(browser: Browser, url: string): Promise<{ ms: number; page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  // Tasks of 50 ms or more (the Long Tasks API's threshold), from the very start of the page.
  await context.addInitScript(() => {
    const found: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = found;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => found.push(entry.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(
    () =>
      !!document.querySelector('[data-testid="replay-view"][data-shown-at]') && !!document.querySelector('[data-testid="timeline"] canvas'),
    null,
    { timeout: 60_000, polling: 'raf' },
  );
  // After the frame that shows them.
  const ms = await page.evaluate(
    () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))),
  );
  return { ms, page, close: () => context.close() };
}

/**
 * Scrub steps timed inside the page: the scrubber's value set and its input event dispatched, then
 * tasks awaited until the replayed view shows that moment (`dom`), then the next frame (`paint`).
 */
async function scrub(page: Page, offsets: number[]): Promise<{ dom: number[]; paint: number[] }> {
  // No named helpers inside: the function is sent to the page as text, without tsx's helpers.
  return page.evaluate(async (steps) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="replay-scrubber"]')!;
    const view = document.querySelector<HTMLElement>('[data-testid="replay-view"]')!;
    const start = Date.parse(document.querySelector<HTMLElement>('[data-testid="replay-time"]')!.dataset.at!) - Number(input.value);
    const dom: number[] = [];
    const paint: number[] = [];
    for (const offset of steps) {
      const expected = new Date(start + offset).toISOString();
      const began = performance.now();
      input.value = String(offset);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (view.dataset.shownAt !== expected) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (performance.now() - began > 10_000) throw new Error(`the replay never showed ${expected}`);
      }
      dom.push(performance.now() - began);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      paint.push(performance.now() - began);
      // Let the matrix finish converging and the page settle before the next step.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return { dom, paint };
  }, offsets);
}

/** How long "the next frame" takes to come when nothing changes: the floor of every painted figure. */
async function frameBaseline(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const began = performance.now();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      times.push(performance.now() - began);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return times;
  }, count);
}

/** The replay request alone, from the page: what the network and the server take of a step. */
async function replayFetch(page: Page, id: string, moments: string[]): Promise<number[]> {
  return page.evaluate(
    async ([incident, ats]) => {
      const times: number[] = [];
      for (const at of ats) {
        const began = performance.now();
        const response = await fetch(`/api/incidents/${encodeURIComponent(incident)}/replay?at=${encodeURIComponent(at)}`);
        await response.json();
        times.push(performance.now() - began);
      }
      return times;
    },
    [id, moments] as const,
  );
}

/** Stretches the page fetches ahead on each side of the one shown (client/src/incidents/useReplay.ts). */
const FETCHED_AHEAD = 4;

/**
 * Scrubber offsets (whole seconds from the start) in stretches between recorded changes that the
 * page cannot have fetched yet: each at least 10 s long, more than FETCHED_AHEAD stretches from the
 * one shown on opening and from one another. `phase` picks a different set on each page.
 */
function freshMoments(timeline: readonly TimelineEntry[], startMs: number, shownMs: number, phase: number): number[] {
  const points = changePoints(timeline);
  const gap = 2 * FETCHED_AHEAD + 1;
  const shown = stretchOf(points, shownMs);
  const offsets: number[] = [];
  // Stretch k runs from points[k - 1] to points[k].
  for (let k = 1 + (phase % gap); k < points.length; k += gap) {
    const from = points[k - 1]!;
    if (points[k]! - from < 10_000 || Math.abs(k - shown) <= FETCHED_AHEAD) continue;
    offsets.push(Math.ceil((from + 1000 - startMs) / 1000) * 1000);
  }
  // Far apart in time as well as in stretches: alternate ends of the incident.
  return offsets.map((_, i) => (i % 2 ? offsets[offsets.length - 1 - (i >> 1)]! : offsets[i >> 1]!));
}

/** Seeds the incident, serves it and measures; exported for the benchmark suite. */
export async function runIncidentBench(options: IncidentBenchOptions = {}): Promise<IncidentBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('client/dist is missing: run `npm run build -w @hqwatch/client` first');
  const opens = options.quick ? 2 : 8;
  const steps = options.quick ? 4 : 20;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hqwatch-incident-bench-'));
  const seedStarted = performance.now();
  const seeded = await seedIncident(dir, SITES);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const detail = (await seeded.store.incidentDetail(seeded.incidentId, seeded.config))!;
  const startMs = Date.parse(seeded.startedAt);
  const lengthMs = Date.parse(seeded.endedAt) - startMs;
  log(
    `seeded ${(lengthMs / 3_600_000).toFixed(2)} h, ${SITES} sites: ${seeded.events} events, ${detail.timeline.length} timeline entries in ${seedSeconds} s`,
  );

  const app = createApp({
    config: seeded.config,
    log: createLogger('warn'),
    store: seeded.store,
    clientDir: DIST,
    limits: LOOPBACK_CROWD_LIMITS,
  });
  // Scrubbing aborts requests that a newer moment made useless; Koa would print each one that was
  // still being written. Failures of the API itself are still logged by its error handler.
  app.app.silent = true;
  // The monitor is not started: the server answers from the seeded store only.
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/incidents/${encodeURIComponent(seeded.incidentId)}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const openRuns: number[] = [];
    const longest: number[] = [];
    const cold = { dom: [] as number[], paint: [] as number[] };
    const warm = { dom: [] as number[], paint: [] as number[] };
    let last: Awaited<ReturnType<typeof open>> | null = null;
    let lastOffsets: number[] = [];
    for (let i = 0; i < opens; i++) {
      const run = await open(browser, url);
      openRuns.push(run.ms);
      // On each freshly opened page: steps to moments it has no answer for, then two seconds on
      // from each, within the stretch whose answer it now has.
      const shown = Date.parse((await run.page.getByTestId('replay-view').getAttribute('data-shown-at'))!);
      const offsets = freshMoments(detail.timeline, startMs, shown, i).slice(0, steps);
      const fresh = await scrub(run.page, offsets);
      const again = await scrub(
        run.page,
        offsets.map((o) => o + 2000),
      );
      const tasks = await run.page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
      longest.push(Math.max(0, ...tasks));
      cold.dom.push(...fresh.dom);
      cold.paint.push(...fresh.paint);
      warm.dom.push(...again.dom);
      warm.paint.push(...again.paint);
      log(`page ${i + 1}/${opens}: opened in ${run.ms.toFixed(0)} ms; ${offsets.length} steps to new moments`);
      if (i < opens - 1) await run.close();
      else {
        last = run;
        lastOffsets = offsets;
      }
    }
    const page = last!;
    const coldOffsets = lastOffsets;
    const idle = await frameBaseline(page.page, coldOffsets.length);
    const fetches = await replayFetch(
      page.page,
      seeded.incidentId,
      coldOffsets.map((o) => new Date(startMs + o + 3000).toISOString()),
    );
    const details = await page.page.evaluate(
      async ([incident, n]) => {
        const times: number[] = [];
        for (let i = 0; i < n; i++) {
          const began = performance.now();
          await (await fetch(`/api/incidents/${encodeURIComponent(incident)}`)).json();
          times.push(performance.now() - began);
        }
        return times;
      },
      [seeded.incidentId, opens] as const,
    );
    await page.close();
    log(
      `scrub to a new moment: ${figure(cold.paint, 'ms', null).median} ms painted; within a fetched stretch: ${figure(warm.paint, 'ms', null).median} ms`,
    );

    return {
      setup: {
        sites: SITES,
        hours: Math.round((lengthMs / 3_600_000) * 100) / 100,
        events: seeded.events,
        timelineEntries: detail.timeline.length,
        seedSeconds,
      },
      figures: {
        'Open a 4 h, 500-site incident (timeline and replay on screen)': figure(openRuns, 'ms', null),
        'Incident detail request alone, from the page (baseline)': figure(details, 'ms', null),
        'Longest task while opening and scrubbing (0: none of 50 ms or more)': figure(longest, 'ms', null),
        'Scrub step to a new moment, painted (replay request + render)': figure(cold.paint, 'ms', 50),
        'Scrub step to a new moment, DOM updated': figure(cold.dom, 'ms', null),
        'Scrub step within a fetched stretch, painted': figure(warm.paint, 'ms', 50),
        'Scrub step within a fetched stretch, DOM updated': figure(warm.dom, 'ms', null),
        'Replay request alone, from the page (baseline)': figure(fetches, 'ms', null),
        'Waiting for the next frame, nothing changed (baseline)': figure(idle, 'ms', null),
      },
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => app.server.close(() => resolve()));
    app.io.close();
    await seeded.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(result: IncidentBenchResult): void {
  const s = result.setup;
  console.log(
    `incident of ${s.hours} h, ${s.sites} sites, ${s.events} events (${s.timelineEntries} timeline entries), seeded in ${s.seedSeconds} s`,
  );
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
  printTable(await runIncidentBench({ quick: process.argv.includes('--quick') }));
}
