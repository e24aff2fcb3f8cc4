/**
 * Where the main thread's time goes while 500 sites change every second (not a test): a sampling CPU
 * profile (CDP `Profiler`) of the dashboard or the wall, summed by function, self and total time.
 * Build an unminified client for readable names first:
 *   npx vite build client --minify false --outDir /tmp/dist-prof
 *   npx tsx bench/client/profile-live.ts --dist /tmp/dist-prof --target wall-4k [--seconds 10] [--top 40]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@hqwatch/e2e/chromium';
import { startBenchServer } from './bench-server.ts';
import type { TraceEvent } from './main-thread.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a style recalculation or a layout covered: elements restyled, objects laid out. */
function extent(e: TraceEvent): string {
  if (e.name === 'UpdateLayoutTree') return ` (${e.args?.elementCount ?? '?'} elements)`;
  if (e.name === 'Layout')
    return ` (${String(e.args?.beginData?.dirtyObjects ?? '?')}/${String(e.args?.beginData?.totalObjects ?? '?')} objects)`;
  return '';
}

/** The `count` longest main-thread tasks on CPU (a loaded machine stretches wall-clock time), and what ran directly inside each (trace events by name). */
function longestTasks(events: TraceEvent[], count: number): { start: number; end: number }[] {
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && e.dur !== undefined && main.has(`${e.pid}:${e.tid}`));
  const all = onMain.filter((e) => e.name === 'RunTask');
  // With --by-layout, the tasks whose layouts took longest rather than the longest tasks.
  const layouts = onMain.filter((e) => e.name === 'Layout');
  // With --by-wall, the longest in wall-clock time (what the benchmark's figure counts).
  const weight = (t: TraceEvent) =>
    process.argv.includes('--by-layout')
      ? layouts.filter((l) => l.ts >= t.ts && l.ts <= t.ts + t.dur!).reduce((sum, l) => sum + (l.tdur ?? l.dur!), 0)
      : process.argv.includes('--by-wall')
        ? t.dur!
        : (t.tdur ?? t.dur!);
  const first = Math.min(...all.map((e) => e.ts));
  // Starting the trace is itself a long task.
  const tasks = all
    .filter((e) => e.ts > first + 1_000_000)
    .sort((a, b) => weight(b) - weight(a))
    .slice(0, count);
  for (const task of tasks) {
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!);
    const byName = new Map<string, number>();
    // Time on CPU: a loaded machine stretches wall-clock time.
    for (const e of inside) byName.set(e.name, (byName.get(e.name) ?? 0) + (e.tdur ?? e.dur!) / 1000);
    const parts = [...byName]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([n, ms]) => `${n} ${ms.toFixed(1)}`);
    console.log(`task ${(task.dur! / 1000).toFixed(1)} ms (${((task.tdur ?? task.dur!) / 1000).toFixed(1)} on CPU): ${parts.join(', ')}`);
    if (process.argv.includes('--sequence'))
      for (const e of inside.filter((x) => (x.tdur ?? x.dur!) > 1000))
        console.log(`  @${((e.ts - task.ts) / 1000).toFixed(1)} ${e.name} ${((e.tdur ?? e.dur!) / 1000).toFixed(1)} ms on CPU${extent(e)}`);
    // What made the browser restyle and lay out again (with --invalidations): by event, reason and node.
    const tracked = events.filter(
      (e) => e.name.endsWith('InvalidationTracking') && e.ts >= task.ts && e.ts <= task.ts + task.dur! && main.has(`${e.pid}:${e.tid}`),
    );
    const why = new Map<string, number>();
    for (const e of tracked) {
      const data = (e.args as { data?: { reason?: string; nodeName?: string; invalidationList?: { classes?: string[] }[] } })?.data;
      const key = `${e.name.replace('InvalidationTracking', '')} ${data?.reason ?? ''} ${(data?.nodeName ?? '').slice(0, 60)}`;
      why.set(key, (why.get(key) ?? 0) + 1);
    }
    for (const [k, n] of [...why].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${n} × ${k}`);
    // With --others: what the other threads of the browser did meanwhile (top-level RunTask time on CPU, by thread).
    if (process.argv.includes('--others')) {
      const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, String(e.args?.name)]));
      const busy = new Map<string, number>();
      for (const e of events)
        if (e.ph === 'X' && e.name === 'RunTask' && e.dur !== undefined && !main.has(`${e.pid}:${e.tid}`)) {
          const overlap = Math.min(e.ts + e.dur, task.ts + task.dur!) - Math.max(e.ts, task.ts);
          if (overlap <= 0) continue;
          const name = names.get(`${e.pid}:${e.tid}`) ?? `${e.pid}:${e.tid}`;
          busy.set(name, (busy.get(name) ?? 0) + (((e.tdur ?? e.dur) * overlap) / e.dur / 1000 || 0));
        }
      console.log(
        `  others: ${[...busy]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
          .join(', ')} ms on CPU`,
      );
    }
    const heavy = inside.filter((e) => (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.dur! > 2000);
    for (const e of heavy) console.log(`  ${e.name} ${((e.tdur ?? e.dur!) / 1000).toFixed(1)} ms on CPU${extent(e)}`);
  }
  // The whole run: the rendering steps' time on CPU, summed, and the longest tasks on CPU.
  const sum = new Map<string, number>();
  for (const e of onMain.filter((x) => x.ts > first + 1_000_000))
    if (['Paint', 'Layout', 'UpdateLayoutTree', 'PrePaint', 'Layerize', 'FunctionCall', 'FireAnimationFrame', 'Commit'].includes(e.name))
      sum.set(e.name, (sum.get(e.name) ?? 0) + (e.tdur ?? e.dur!) / 1000);
  console.log(`run totals on CPU: ${[...sum].map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')} ms`);
  console.log(`longest on CPU: ${tasks.map((t) => ((t.tdur ?? t.dur!) / 1000).toFixed(1)).join(', ')} ms`);
  return tasks.map((t) => ({ start: t.ts, end: t.ts + t.dur! }));
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

// With --trace FILE (a trace the client benchmark kept: HQW_TRACE_DIR), that trace's longest tasks, and nothing run.
const traceFile = option('trace', '');
if (traceFile) {
  longestTasks((JSON.parse(readFileSync(traceFile, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents, Number(option('longest', '3')));
  process.exit(0);
}

const targets = {
  dashboard: { path: '/', viewport: { width: 1920, height: 1080 }, toggleEvery: 5, churn: false, failing: false },
  'dashboard-churn': { path: '/', viewport: { width: 1920, height: 1080 }, toggleEvery: 0, churn: true, failing: true },
  'wall-1080p': { path: '/wall', viewport: { width: 1920, height: 1080 }, toggleEvery: 0, churn: true, failing: true },
  'wall-4k': { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 0, churn: true, failing: true },
  'wall-4k-toggle': { path: '/wall', viewport: { width: 3840, height: 2160 }, toggleEvery: 5, churn: true, failing: true },
} as const;
const target = targets[option('target', 'dashboard') as keyof typeof targets];
const seconds = Number(option('seconds', '10'));
const top = Number(option('top', '40'));
const dist = path.resolve(option('dist', path.join(ROOT, 'client/dist')));

const server = await startBenchServer(dist, 500);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  server.setFailing(target.failing);
  const context = await browser.newContext({ viewport: target.viewport });
  const page = await context.newPage();
  await page.goto(`${server.url}${target.path}`);
  await page.waitForFunction(() => performance.getEntriesByName('hqwatch:first-state').length > 0, null, { timeout: 30_000 });
  // A style to try (e.g. `--css '.tile{contain:none}'`): what a CSS change would save, without a rebuild.
  const css = option('css', '');
  if (css) await page.addStyleTag({ content: css });
  await page.waitForTimeout(3000);
  const cdp = await context.newCDPSession(page);
  // With --trace-only, no sampling profiler (it costs the page time of its own): the trace's tasks alone.
  const sampling = !process.argv.includes('--trace-only');
  if (sampling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  const invalidations = process.argv.includes('--invalidations');
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      ...(invalidations ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
    ],
  });
  if (sampling) await cdp.send('Profiler.start');
  server.play(1000, target.toggleEvery, target.churn);
  await page.waitForTimeout(seconds * 1000);
  server.stop();
  const profile = sampling ? ((await cdp.send('Profiler.stop')) as unknown as { profile: Profile }).profile : null;
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  await context.close();
  const windows = longestTasks(trace.traceEvents, Number(option('longest', '3')));
  if (profile) summarizeProfile(profile, windows);
} finally {
  await browser.close();
  await server.close();
}

/** Where the sampled time went: over the whole run per change, and inside each of the longest tasks. */
function summarizeProfile(profile: Profile, windows: { start: number; end: number }[]): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  /** Self and total time by function over the samples `inside` picks, per `per` (changes or tasks). */
  function summarize(title: string, inside: (at: number) => boolean, per: number): void {
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    let all = 0;
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i] ?? 0;
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const node = byId.get(id)!;
      if (!inside(at) || node.callFrame.functionName === '(idle)') return;
      all += dt;
      self.set(label(node), (self.get(label(node)) ?? 0) + dt);
      const seen = new Set<string>();
      for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
        const l = label(byId.get(up)!);
        if (seen.has(l)) continue;
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + dt);
      }
    });
    console.log(`\n== ${title}: ${(all / per).toFixed(1)} ms sampled`);
    const print = (name: string, map: Map<string, number>) => {
      console.log(`-- ${name}`);
      for (const [l, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(ms / per).toFixed(2).padStart(8)}  ${l}`);
    };
    print('self', self);
    print('total', total);
  }
  summarize(`all ${seconds} s, per change`, () => true, seconds);
  for (const [i, w] of windows.entries()) summarize(`task ${i + 1}`, (at) => at >= w.start && at <= w.end, 1);
}
