/**
 * Fan-out: how long a state change takes to reach 100, 1,000 and 5,000 socket.io clients of a real
 * hqwatch server, against a bare `ws` server sending the same bytes to as many clients in the same
 * run (the baseline). Server, clients and baseline each run in their own processes with a raised
 * open-file limit; all on loopback (hqwatch on 127.200.0.1, the baseline on 127.200.0.2).
 * Goal: 5,000 clients, p99 under 250 ms (the median over the changes of each change's p99).
 *
 * Latency is receive − send on the machine's wall clock: the server stamps just before it
 * broadcasts, each client process when a connection delivers the event to its handler.
 *
 * With `deflate`, the hqwatch side runs with permessage-deflate on its WebSockets (socket.io
 * clients offer it, as browsers do), still beside the bare `ws` baseline without.
 *
 * Run: npx tsx bench/server/fanout.bench.ts [--sizes 100,1000,5000] [--changes 10] [--topology demo|largest] [--deflate]
 * With HQW_PROF_DIR=dir, each server writes a V8 CPU profile under dir/MODE (where its time goes).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, type Child, type Message } from '../lib/child.ts';
import { summarize, round, sleep, type Summary } from '../lib/stats.ts';
import type { FanoutMode, FanoutTopology } from './fanout-server.ts';

const HOST = '127.200.0.1';
const WS_HOST = '127.200.0.2';
const OPEN_FILES = 65_535;
/** Connections per client process: beyond this one process's event loop, not the server, sets the pace. */
const PER_PROCESS = 2_500;
export const FANOUT_GOAL = { clients: 5_000, p99Ms: 250 };

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface FanoutOptions {
  sizes?: number[];
  /** State changes measured per size and mode, after one warm-up change. */
  changes?: number;
  topology?: FanoutTopology;
  /** permessage-deflate on the hqwatch side. */
  deflate?: boolean;
  log?: (line: string) => void;
}

export interface FanoutModeFigures {
  mode: FanoutMode;
  connected: number;
  connectMs: number;
  /** Over every delivery of every change. */
  latency: Summary;
  /** One p50 and one p99 per change: the runs the figures come from. */
  p50Runs: number[];
  p99Runs: number[];
  /** Server CPU from the send stamp until every client had the change, per change. */
  cpuMsRuns: number[];
  /** Server RSS with every client connected. */
  rssMb: number;
  missing: number;
}

export interface FanoutSizeFigures {
  clients: number;
  clientProcesses: number;
  payloadBytes: number;
  /** The full state as `state:sync` answers it, before compression. */
  snapshotBytes: number;
  hqwatch: FanoutModeFigures;
  ws: FanoutModeFigures;
  /** Median per-change p99 of hqwatch ÷ that of bare ws. */
  p99Ratio: number;
}

export interface FanoutFigures {
  topology: FanoutTopology;
  deflate: boolean;
  changes: number;
  sizes: FanoutSizeFigures[];
  goal: { clients: number; p99Ms: number; p99Ms5000: number | null; met: boolean | null };
}

interface Side {
  mode: FanoutMode;
  server: Child;
  loaders: Child[];
  connectMs: number;
  rssMb: number;
  connected: number;
  latencies: number[];
  p50Runs: number[];
  p99Runs: number[];
  cpuMsRuns: number[];
  missing: number;
  payloadBytes: number;
}

/** Starts one server (hqwatch or the baseline) and its client processes, and connects every client. */
async function startSide(mode: FanoutMode, clients: number, topology: FanoutTopology, host: string): Promise<Side> {
  const prof = process.env.HQW_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', `${process.env.HQW_PROF_DIR}/${mode}`] : [];
  const server = startChild(here('./fanout-server.ts'), { args: [mode, topology, host], openFiles: OPEN_FILES, nodeFlags: prof });
  const side: Side = {
    mode,
    server,
    loaders: [],
    connectMs: 0,
    rssMb: 0,
    connected: 0,
    latencies: [],
    p50Runs: [],
    p99Runs: [],
    cpuMsRuns: [],
    missing: 0,
    payloadBytes: 0,
  };
  const { port } = await server.next<Message & { port: number }>('address', 30_000);
  const processes = Math.ceil(clients / PER_PROCESS);
  for (let i = 0; i < processes; i++) {
    const n = Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
    side.loaders.push(
      startChild(here('./fanout-clients.ts'), { args: [mode, `http://${host}:${port}`, String(n)], openFiles: OPEN_FILES }),
    );
  }
  const connected = await Promise.all(side.loaders.map((c) => c.next<Message & { ms: number }>('connected', 180_000)));
  side.connectMs = round(Math.max(...connected.map((c) => c.ms)));
  return side;
}

async function readMemory(side: Side): Promise<void> {
  side.server.send({ type: 'memory' });
  const memory = await side.server.next<Message & { rssBytes: number; clients: number }>('memory', 10_000);
  side.rssMb = round(memory.rssBytes / 1024 / 1024);
  side.connected = memory.clients;
}

/** One state change through `side`: latency of every delivery and the server's CPU for it. */
async function measureChange(side: Side, record: boolean): Promise<void> {
  const { server, loaders } = side;
  server.send({ type: 'change' });
  const changed = await Promise.race([
    server.next<Message & { seq: number; sentAt: number; bytes: number }>('changed', 30_000),
    server.next('error', 30_000).then((m) => Promise.reject(new Error(String(m.error)))),
  ]);
  for (const loader of loaders) loader.send({ type: 'collect', seq: changed.seq, sentAt: changed.sentAt, timeoutMs: 30_000 });
  const answers = await Promise.all(loaders.map((c) => c.next<Message & { latencies: number[]; missing: number }>('latencies', 60_000)));
  server.send({ type: 'cost', seq: changed.seq });
  const cost = await server.next<Message & { cpuMs: number }>('cost', 10_000);
  if (!record) return;
  const latencies = answers.flatMap((a) => a.latencies);
  const s = summarize(latencies);
  side.latencies.push(...latencies);
  side.missing += answers.reduce((sum, a) => sum + a.missing, 0);
  side.p50Runs.push(round(s.median));
  side.p99Runs.push(round(s.p99));
  side.cpuMsRuns.push(round(cost.cpuMs));
  side.payloadBytes = changed.bytes;
}

function figuresOf(side: Side): FanoutModeFigures {
  return {
    mode: side.mode,
    connected: side.connected,
    connectMs: side.connectMs,
    latency: summarize(side.latencies),
    p50Runs: side.p50Runs,
    p99Runs: side.p99Runs,
    cpuMsRuns: side.cpuMsRuns,
    rssMb: side.rssMb,
    missing: side.missing,
  };
}

/**
 * One size: hqwatch and the baseline connected side by side, changes alternating between them
 * (ws first on odd changes, hqwatch first on even ones) so that whatever else the machine does hits
 * both alike.
 */
async function measureSize(
  clients: number,
  changes: number,
  topology: FanoutTopology,
  deflate: boolean,
  log: (line: string) => void,
): Promise<FanoutSizeFigures> {
  const sides: Side[] = [];
  let snapshotBytes = 0;
  try {
    sides.push(await startSide('ws', clients, topology, WS_HOST));
    sides.push(await startSide(deflate ? 'hqwatch-deflate' : 'hqwatch', clients, topology, HOST));
    await sleep(1_000); // let handshakes and first pings settle before measuring
    for (const side of sides) await readMemory(side);
    sides[1]!.server.send({ type: 'snapshot' });
    snapshotBytes = (await sides[1]!.server.next<Message & { bytes: number }>('snapshot', 10_000)).bytes;
    for (const side of sides) await measureChange(side, false); // warm-up: first use of every code path
    for (let i = 0; i < changes; i++) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        await measureChange(side, true);
        await sleep(50);
      }
    }
  } finally {
    await Promise.all(sides.flatMap((s) => [...s.loaders, s.server]).map((c) => c.stop()));
  }
  const [ws, hq] = sides.map(figuresOf);
  for (const f of [ws, hq]) {
    log(
      `  ${f.mode.padEnd(7)} ${String(clients).padStart(5)} clients: p50 ${f.latency.median.toFixed(1)} ms, p99 ${f.latency.p99.toFixed(1)} ms, ` +
        `server CPU ${summarize(f.cpuMsRuns).median.toFixed(1)} ms/change, RSS ${f.rssMb} MB`,
    );
  }
  return {
    clients,
    clientProcesses: sides[1].loaders.length,
    payloadBytes: sides[1].payloadBytes,
    snapshotBytes,
    hqwatch: hq,
    ws,
    p99Ratio: round(summarize(hq.p99Runs).median / summarize(ws.p99Runs).median),
  };
}

/** Runs the fan-out benchmark: for each size, hqwatch and the bare ws baseline side by side. */
export async function runFanoutBench(options: FanoutOptions = {}): Promise<FanoutFigures> {
  const {
    sizes = [100, 1_000, 5_000],
    changes = 10,
    topology = 'demo',
    deflate = false,
    log = (line: string) => console.log(line),
  } = options;
  const results: FanoutSizeFigures[] = [];
  log(`fan-out of one state change (${topology} topology${deflate ? ', permessage-deflate' : ''}), ${changes} changes per size`);
  for (const clients of sizes) results.push(await measureSize(clients, changes, topology, deflate, log));
  // The p99 of a typical change: the median of the per-change p99s.
  const atGoal = results.find((r) => r.clients === FANOUT_GOAL.clients);
  const p99 = atGoal ? round(summarize(atGoal.hqwatch.p99Runs).median) : null;
  return {
    topology,
    deflate,
    changes,
    sizes: results,
    goal: { ...FANOUT_GOAL, p99Ms5000: p99, met: p99 === null ? null : p99 < FANOUT_GOAL.p99Ms },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { sizes: { type: 'string' }, changes: { type: 'string' }, topology: { type: 'string' }, deflate: { type: 'boolean' } },
  });
  const figures = await runFanoutBench({
    sizes: values.sizes?.split(',').map(Number),
    changes: values.changes ? Number(values.changes) : undefined,
    topology: values.topology === 'largest' ? 'largest' : 'demo',
    deflate: values.deflate ?? false,
  });
  console.log(`payload ${figures.sizes[0]?.payloadBytes} bytes, full state ${figures.sizes[0]?.snapshotBytes} bytes`);
  for (const s of figures.sizes) {
    const med = (runs: number[]) => summarize(runs).median.toFixed(1);
    console.log(
      `${s.clients} clients: hqwatch p99 ${med(s.hqwatch.p99Runs)} ms vs bare ws ${med(s.ws.p99Runs)} ms; ` +
        `CPU ${med(s.hqwatch.cpuMsRuns)} vs ${med(s.ws.cpuMsRuns)} ms per change (medians per change)`,
    );
  }
  if (figures.goal.met !== null)
    console.log(`goal: 5,000 clients p99 < 250 ms — ${figures.goal.met ? 'met' : 'missed'} (${figures.goal.p99Ms5000} ms)`);
}
