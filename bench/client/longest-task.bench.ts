/**
 * Only the client benchmark's longest-task figures (not a test): the dashboard and the wall at 1080p
 * and 4K with 500 sites changing every second, each run `--runs` times, medians printed with the load
 * average. For checking a change to the live path without the whole client benchmark. Run after
 * `npm run build -w @hqwatch/client`:
 *   npx tsx bench/client/longest-task.bench.ts [--runs 3] [--seconds 20] [--only dashboard,wall-1080p,wall-4k,wall-4k-toggle]
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@hqwatch/e2e/chromium';
import { startBenchServer } from './bench-server.ts';
import { DASHBOARD, longestTask, type Target } from './client.bench.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The same targets as the client benchmark's. */
const TARGETS: Record<string, Target> = {
  dashboard: DASHBOARD,
  'wall-1080p': { path: '/wall', viewport: { width: 1920, height: 1080 }, toggleEvery: 0, churn: true, failing: true },
  'wall-4k': { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 0, churn: true, failing: true },
  'wall-4k-toggle': { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 5, churn: true, failing: true },
};

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const runs = Number(option('runs', '3'));
const seconds = Number(option('seconds', '20'));
const only = option('only', Object.keys(TARGETS).join(',')).split(',');
const dist = path.resolve(option('dist', path.join(ROOT, 'client/dist')));
if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist} has no index.html: build the client first`);

const server = await startBenchServer(dist, 500);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const name of only) {
    const target = TARGETS[name];
    if (!target) throw new Error(`unknown target ${name}: one of ${Object.keys(TARGETS).join(', ')}`);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await longestTask(browser, server, seconds, true, target);
      wall.push(run.longestMs);
      cpu.push(run.longestCpuMs);
      console.log(`${name} ${i + 1}/${runs}: ${run.longestMs.toFixed(1)} ms (${run.longestCpuMs.toFixed(1)} ms on CPU), load ${load()}`);
    }
    console.log(`${name}: median ${median(wall).toFixed(1)} ms (${median(cpu).toFixed(1)} ms on CPU) of ${runs}, load ${load()}`);
  }
} finally {
  await browser.close();
  await server.close();
}
