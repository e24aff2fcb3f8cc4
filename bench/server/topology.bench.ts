/**
 * Cost of monitoring the largest topology: the HQ pair and 20 distributed servers (3 probes each,
 * plus the witness: 67 probes a round), 500 sites, at a 1 s interval, against a lab running in its
 * own process (127.211.x.y) so the simulated servers' CPU is not counted. The server is
 * `hqwatch serve` itself, as users run it (`node bin/hqwatch.mjs serve`, the bundled server after
 * `npm run build`), in its own process: real probes, real self-health, the SQLite store in a
 * temporary directory. CPU and RSS are read from /proc (CPU over 5 s windows, RSS every second):
 * 1. monitoring — the monitor running, no client;
 * 2. monitoring with 1,000 socket.io clients connected (from another process).
 * The baseline is a Node process with nothing loaded.
 * Goals: under 5% of one core and 120 MB RSS while monitoring; under 150 MB with 1,000 clients.
 *
 * Run: npx tsx bench/server/topology.bench.ts [--seconds 30] [--clients 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { NodeEndpoints } from '@hqwatch/server/lab';
import { createApp, type HqwatchApp } from '@hqwatch/server/app';
import { createLogger } from '@hqwatch/server/logger';
import { LOOPBACK_CROWD_LIMITS } from '../lib/app-parts.ts';
import { openStore } from '@hqwatch/server/store';
import { startChild, type Child, type Message } from '../lib/child.ts';
import { LARGEST, largestTopology, topologyConfig, topologyDocument } from '../lib/largest.ts';
import { bareNodeRssMb, startServeProcess, type ServeProcess } from '../lib/serve-process.ts';
import { round, sleep, summarize, type Summary } from '../lib/stats.ts';

const OCTET = 210;
const HOST = `127.${OCTET}.0.1`;
/** The `hqwatch serve` measurement has its own lab, so it can run beside a soak. */
const SERVE_OCTET = 211;
const WINDOW_MS = 5_000;
export const TOPOLOGY_GOALS = { cpuPercent: 5, rssMb: 120, rssMbWithClients: 150 };

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface LargestMonitor {
  app: HqwatchApp;
  url: string;
  /** Probes in one round, witness included. */
  probesPerRound: number;
  /** Puts a lab node in a state (`stopped`, `serving`…); resolves once its listeners match. */
  setNode(id: string, state: string): Promise<void>;
  stop(): Promise<void>;
}

/** The lab (own process) and the real server monitoring it at `intervalMs`; the monitor starts on `listen`. */
export async function startLargestMonitor(intervalMs = 1_000): Promise<LargestMonitor & { listen(): Promise<void> }> {
  const lab = startChild(here('../lib/lab-host.ts'), { args: [String(OCTET)] });
  const children: Child[] = [lab];
  const { endpoints } = await lab.next<Message & { endpoints: Record<string, NodeEndpoints> }>('ready', 60_000);
  const config = topologyConfig(largestTopology(OCTET), endpoints, { intervalMs, timeoutMs: 1_000, failAfter: 3, recoverAfter: 2 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-bench-'));
  const log = createLogger('silent');
  const store = await openStore({ dataDir, retentionDays: 90, checkpointIntervalMs: 60_000, log });
  const app = createApp({ config, log, store, limits: LOOPBACK_CROWD_LIMITS });
  let url = '';
  return {
    app,
    get url() {
      return url;
    },
    probesPerRound: (2 + config.servers.length) * LARGEST.probesPerServer + config.monitor.witness.length,
    async setNode(id, state) {
      lab.send({ type: 'set', id, state });
      const done = await lab.next<Message & { error?: string }>('set-done', 30_000);
      if (done.error) throw new Error(done.error);
    },
    async listen() {
      const { port } = await app.listen(0, HOST);
      url = `http://${HOST}:${port}`;
    },
    async stop() {
      await app.close();
      await Promise.all(children.map((c) => c.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** RSS of a process running Node and tsx with nothing else loaded, in MB. */
export async function bareProcessRssMb(): Promise<number> {
  const bare = startChild(here('../lib/bare-process.ts'));
  try {
    const { rssBytes } = await bare.next<Message & { rssBytes: number }>('memory', 30_000);
    return round(rssBytes / 1024 / 1024);
  } finally {
    await bare.stop();
  }
}

/** `count` socket.io clients of `url`, in their own process. */
export async function attachClients(url: string, count: number): Promise<Child> {
  const clients = startChild(here('./fanout-clients.ts'), { args: ['hqwatch', url, String(count)], openFiles: 65_535 });
  const connected = await clients.next<Message & { count: number }>('connected', 120_000);
  if (connected.count !== count) throw new Error(`only ${connected.count} of ${count} clients connected`);
  return clients;
}

export interface PhaseFigures {
  /** Percent of one core, one value per 5 s window. */
  cpuRuns: number[];
  cpu: Summary;
  /** MB, one sample a second. */
  rssRuns: number[];
  rss: Summary;
  rounds: number;
  lateRounds: number;
}

/** Measures this process for `seconds`: CPU per window, RSS every second, rounds run. */
export async function measurePhase(seconds: number, app?: HqwatchApp): Promise<PhaseFigures> {
  const cpuRuns: number[] = [];
  const rssRuns: number[] = [];
  const before = app?.monitor.stats();
  const end = performance.now() + seconds * 1_000;
  while (performance.now() < end - 1) {
    const windowEnd = Math.min(end, performance.now() + WINDOW_MS);
    const cpu = process.cpuUsage();
    const started = performance.now();
    while (performance.now() < windowEnd - 1) {
      await sleep(Math.min(1_000, windowEnd - performance.now()));
      rssRuns.push(round(process.memoryUsage().rss / 1024 / 1024));
    }
    const used = process.cpuUsage(cpu);
    cpuRuns.push(round(((used.user + used.system) / 1_000 / (performance.now() - started)) * 100));
  }
  const after = app?.monitor.stats();
  return {
    cpuRuns,
    cpu: summarize(cpuRuns),
    rssRuns,
    rss: summarize(rssRuns),
    rounds: after && before ? after.rounds - before.rounds : 0,
    lateRounds: after && before ? after.lateRounds - before.lateRounds : 0,
  };
}

/** Measures the `hqwatch serve` process for `seconds`: CPU per window, RSS every second, rounds run. */
async function measureServePhase(seconds: number, serve: ServeProcess): Promise<PhaseFigures> {
  const cpuRuns: number[] = [];
  const rssRuns: number[] = [];
  const before = await serve.rounds();
  const end = performance.now() + seconds * 1_000;
  while (performance.now() < end - 1) {
    const windowEnd = Math.min(end, performance.now() + WINDOW_MS);
    const cpu = serve.sample().cpuMs;
    const started = performance.now();
    while (performance.now() < windowEnd - 1) {
      await sleep(Math.min(1_000, windowEnd - performance.now()));
      rssRuns.push(serve.sample().rssMb);
    }
    cpuRuns.push(round(((serve.sample().cpuMs - cpu) / (performance.now() - started)) * 100));
  }
  const after = await serve.rounds();
  return {
    cpuRuns,
    cpu: summarize(cpuRuns),
    rssRuns,
    rss: summarize(rssRuns),
    rounds: after.rounds - before.rounds,
    lateRounds: after.lateRounds - before.lateRounds,
  };
}

export interface TopologyFigures {
  distributed: number;
  sites: number;
  probesPerRound: number;
  intervalMs: number;
  seconds: number;
  clients: number;
  monitoring: PhaseFigures;
  withClients: PhaseFigures;
  /** RSS of Node alone (median of 3 processes): the floor under every figure above. */
  bareRssMb: number;
  /** CPU milliseconds per probe while monitoring, all monitor work included. */
  cpuMsPerProbe: number;
  /** HQ state and how many nodes were serving at the end: the figures describe a healthy system. */
  hq: string;
  serving: number;
  goals: { cpuPercent: boolean; rssMb: boolean; rssMbWithClients: boolean };
}

export async function runTopologyBench(
  options: { seconds?: number; clients?: number; log?: (line: string) => void } = {},
): Promise<TopologyFigures> {
  const { seconds = 30, clients: clientCount = 1_000, log = (line: string) => console.log(line) } = options;
  const bare = [bareNodeRssMb(), bareNodeRssMb(), bareNodeRssMb()];
  const lab = startChild(here('../lib/lab-host.ts'), { args: [String(SERVE_OCTET)] });
  const { endpoints } = await lab.next<Message & { endpoints: Record<string, NodeEndpoints> }>('ready', 60_000);
  // The timeout stays under the interval: a config where it does not is refused.
  const settings = { intervalMs: 1_000, timeoutMs: 800, failAfter: 3, recoverAfter: 2 };
  const document = topologyDocument(largestTopology(SERVE_OCTET), endpoints, settings);
  const probesPerRound = (2 + LARGEST.distributed) * LARGEST.probesPerServer + 1;
  let serve: ServeProcess | null = null;
  let clients: Child | null = null;
  try {
    serve = await startServeProcess(document, `127.${SERVE_OCTET}.0.1`);
    await sleep(5_000); // first rounds: JIT, first snapshot stored
    log(`topology: hqwatch serve monitoring ${probesPerRound} probes a second (${seconds} s)`);
    const monitoring = await measureServePhase(seconds, serve);
    log(`topology: connecting ${clientCount} clients`);
    clients = await attachClients(serve.url, clientCount);
    await sleep(5_000);
    log(`topology: monitoring with ${clientCount} clients (${seconds} s)`);
    const withClients = await measureServePhase(seconds, serve);
    const state = await serve.state();
    const cpuMsPerProbe = round((monitoring.cpu.median / 100) * (1_000 / probesPerRound));
    return {
      distributed: LARGEST.distributed,
      sites: LARGEST.sites,
      probesPerRound,
      intervalMs: 1_000,
      seconds,
      clients: clientCount,
      monitoring,
      withClients,
      bareRssMb: summarize(bare).median,
      cpuMsPerProbe,
      hq: state.hq.state,
      serving: state.nodes.filter((n) => n.status === 'serving').length,
      goals: {
        cpuPercent: monitoring.cpu.median < TOPOLOGY_GOALS.cpuPercent,
        rssMb: monitoring.rss.max < TOPOLOGY_GOALS.rssMb,
        rssMbWithClients: withClients.rss.max < TOPOLOGY_GOALS.rssMbWithClients,
      },
    };
  } finally {
    await clients?.stop();
    await serve?.stop();
    await lab.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, clients: { type: 'string' } } });
  const f = await runTopologyBench({
    seconds: values.seconds ? Number(values.seconds) : undefined,
    clients: values.clients ? Number(values.clients) : undefined,
  });
  const line = (name: string, p: PhaseFigures) =>
    console.log(
      `${name.padEnd(22)} CPU median ${p.cpu.median}% p95 ${p.cpu.p95}% of one core; RSS median ${p.rss.median} MB max ${p.rss.max} MB` +
        (p.rounds ? `; ${p.rounds} rounds (${p.lateRounds} late)` : ''),
    );
  console.log(
    `largest topology: ${f.distributed} DVS + HQ pair, ${f.sites} sites, ${f.probesPerRound} probes a round at 1 s; HQ ${f.hq}, ${f.serving} nodes serving`,
  );
  console.log(`${'Node alone (baseline)'.padEnd(22)} RSS ${f.bareRssMb} MB`);
  line('monitoring', f.monitoring);
  line(`with ${f.clients} clients`, f.withClients);
  console.log(
    `CPU per probe: ${f.cpuMsPerProbe} ms; goals: CPU ${f.goals.cpuPercent ? 'met' : 'missed'}, RSS ${f.goals.rssMb ? 'met' : 'missed'}, RSS with clients ${f.goals.rssMbWithClients ? 'met' : 'missed'}`,
  );
}
