/**
 * Alert latency: from the round that opens a failover window (the state change, `LiveState.at`) to
 * a webhook receiver on loopback getting the signed POST, next to detection latency (the primary
 * stopped in the lab → that round). The real app: real probes on a real lab (127.205.x.y), the
 * SQLite store with its outbox (the trigger is committed with the round's events, then sent), one
 * webhook channel. Each trial stops the primary at a random point between two rounds, waits for the
 * trigger, restores the primary and waits for the resolve (timed the same way from the round that
 * closes the incident) before the next.
 *
 * Goal: the POST within 200 ms of the state change, at the median and at p95.
 * Run: npx tsx bench/server/alerts.bench.ts [--trials 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateConfig, type LiveState } from '@hqwatch/shared';
import { createApp } from '@hqwatch/server/app';
import { demoTopology, labConfig, startLab } from '@hqwatch/server/lab';
import { createLogger } from '@hqwatch/server/logger';
import { openStore } from '@hqwatch/server/store';
import { steadySelfHealth } from '../lib/app-parts.ts';
import { round, sleep, summarize, waitFor, wallClockMs, type Summary } from '../lib/stats.ts';

const OCTET = 205;
export const ALERTS_GOAL_MS = 200;
const SETUP = { intervalMs: 500, timeoutMs: 400, failAfter: 2, recoverAfter: 2 };

export interface AlertFigures {
  intervalMs: number;
  failAfter: number;
  /** Stop → the round that opened the window, ms, per trial. */
  detection: number[];
  /** That round → the trigger's POST at the receiver, ms, per trial. */
  trigger: number[];
  /** The round that closed the incident → the resolve's POST, ms, per trial. */
  resolve: number[];
  summary: { detection: Summary; trigger: Summary; resolve: Summary };
  failed: number;
  /** Median and p95 of `trigger` both within the goal. */
  met: boolean;
}

interface Arrival {
  status: string;
  at: number;
}

export async function runAlertsBench(options: { trials?: number; log?: (line: string) => void } = {}): Promise<AlertFigures> {
  const { trials = 20, log = (line: string) => console.log(line) } = options;
  const arrivals: Arrival[] = [];
  const receiver = createServer((req, res) => {
    const at = wallClockMs();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string };
      arrivals.push({ status: body.status, at });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, `127.${OCTET}.0.250`, () => resolve()));
  const hook = `http://127.${OCTET}.0.250:${(receiver.address() as AddressInfo).port}/hook`;

  const topology = demoTopology(OCTET);
  const lab = await startLab(topology);
  const raw = labConfig(topology, lab, { ...SETUP, expectedWindow: { minMs: 300_000, maxMs: 1_200_000 } }) as {
    monitor: Record<string, unknown>;
  };
  raw.monitor.flap = { enter: 100, leave: 100 };
  const checked = validateConfig({
    ...raw,
    notify: { channels: [{ id: 'bench', kind: 'webhook', url: hook, secret: 'bench-secret-of-16+' }], routes: [{ channels: ['bench'] }] },
  });
  if (!checked.ok) throw new Error(`alerts config refused: ${JSON.stringify(checked.errors)}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-alerts-bench-'));
  const store = await openStore({ kind: 'sqlite', dataDir, checkpointIntervalMs: 60_000, retentionDays: 90 });
  const app = createApp({ config: checked.config, log: createLogger('silent'), selfHealth: steadySelfHealth(), store });
  /** Each published state with an HQ change: when the round that made it ran. */
  const changes: { state: LiveState['hq']['state']; incident: boolean; roundAt: number }[] = [];
  let last = app.monitor.current();
  app.monitor.subscribe(() => {
    const now = app.monitor.current();
    if (now.hq.state !== last.hq.state || (now.incident === null) !== (last.incident === null))
      changes.push({ state: now.hq.state, incident: now.incident !== null, roundAt: Date.parse(now.at) });
    last = now;
  });
  await app.listen(0, `127.${OCTET}.0.1`);
  const detection: number[] = [];
  const trigger: number[] = [];
  const resolve: number[] = [];
  let failed = 0;
  try {
    await waitFor(
      () => app.monitor.current().hq.state === 'primary-active' && app.monitor.current().incident === null,
      30_000,
      'primary-active',
    );
    for (let trial = 0; trial < trials; trial++) {
      await sleep(Math.random() * SETUP.intervalMs);
      const seen = { changes: changes.length, arrivals: arrivals.length };
      const stoppedAt = wallClockMs();
      await lab.setState('primary', 'stopped');
      try {
        const opened = await waitFor(() => changes.slice(seen.changes).find((c) => c.state === 'failing-over'), 20_000, 'failing-over');
        const posted = await waitFor(() => arrivals.slice(seen.arrivals).find((a) => a.status === 'trigger'), 20_000, 'the trigger');
        detection.push(round(opened.roundAt - stoppedAt));
        trigger.push(round(posted.at - opened.roundAt));
      } catch {
        failed += 1;
      }
      const before = { changes: changes.length, arrivals: arrivals.length };
      await lab.setState('primary', 'serving');
      try {
        const closed = await waitFor(() => changes.slice(before.changes).find((c) => !c.incident), 30_000, 'the incident closed');
        const posted = await waitFor(() => arrivals.slice(before.arrivals).find((a) => a.status === 'resolve'), 20_000, 'the resolve');
        resolve.push(round(posted.at - closed.roundAt));
      } catch {
        failed += 1;
        await waitFor(() => app.monitor.current().incident === null, 30_000, 'the incident closed');
      }
      if ((trial + 1) % 5 === 0) log(`  alerts: ${trial + 1}/${trials} trials`);
    }
  } finally {
    await app.close();
    await lab.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = { detection: summarize(detection), trigger: summarize(trigger), resolve: summarize(resolve) };
  return {
    ...SETUP,
    detection,
    trigger,
    resolve,
    summary,
    failed,
    met: summary.trigger.median <= ALERTS_GOAL_MS && summary.trigger.p95 <= ALERTS_GOAL_MS,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { trials: { type: 'string' } } });
  const f = await runAlertsBench({ trials: values.trials ? Number(values.trials) : undefined });
  const line = (name: string, s: Summary) => `${name}: median ${s.median} p95 ${s.p95} (min ${s.min}, max ${s.max}) ms`;
  console.log(line('detection (stop → window opened)', f.summary.detection));
  console.log(line('trigger (window opened → POST received)', f.summary.trigger));
  console.log(line('resolve (incident closed → POST received)', f.summary.resolve));
  console.log(`goal median and p95 ≤ ${ALERTS_GOAL_MS} ms: ${f.met ? 'met' : 'missed'}${f.failed ? `; ${f.failed} waits timed out` : ''}`);
}
