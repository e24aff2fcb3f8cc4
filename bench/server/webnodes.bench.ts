/**
 * Web nodes: a demo-size state change from a leader through Redis to three web nodes with N
 * dashboards each (N = 2,000 by default; socket.io clients in processes of their own, one per
 * node), against one lone hqwatch server with N dashboards in the same run (the baseline), changes
 * alternating between the two. Latency is receive − send on the machine's wall clock: the leader
 * (or the lone server) stamps just before it broadcasts. Needs Redis on 127.0.0.1:6379.
 *
 * Run: npx tsx bench/server/webnodes.bench.ts [--clients 2000] [--changes 10]
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, type Child, type Message } from '../lib/child.ts';
import { round, sleep, summarize, type Summary } from '../lib/stats.ts';

const OPEN_FILES = 65_535;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const LONE = '127.222.0.1';
const LEADER = '127.222.0.2';
const WEB = ['127.222.0.3', '127.222.0.4', '127.222.0.5'];

export interface WebnodesSide {
  clients: number;
  connected: number;
  p50Runs: number[];
  p99Runs: number[];
  latency: Summary;
  missing: number;
  rssMb: number[];
}

export interface WebnodesFigures {
  perNode: number;
  changes: number;
  lone: WebnodesSide;
  cluster: WebnodesSide;
}

interface Side {
  source: Child;
  servers: Child[];
  loaders: Child[];
  latencies: number[];
  p50Runs: number[];
  p99Runs: number[];
  missing: number;
}

async function addressOf(child: Child): Promise<number> {
  return (await child.next<Message & { port: number }>('address', 60_000)).port;
}

function loader(url: string, n: number): Child {
  return startChild(here('./fanout-clients.ts'), { args: ['hqwatch', url, String(n)], openFiles: OPEN_FILES });
}

async function measure(side: Side, record: boolean): Promise<void> {
  side.source.send({ type: 'change' });
  const changed = await Promise.race([
    side.source.next<Message & { seq: number; sentAt: number }>('changed', 30_000),
    side.source.next('error', 30_000).then((m) => Promise.reject(new Error(String(m.error)))),
  ]);
  for (const l of side.loaders) l.send({ type: 'collect', seq: changed.seq, sentAt: changed.sentAt, timeoutMs: 30_000 });
  const answers = await Promise.all(
    side.loaders.map((l) => l.next<Message & { latencies: number[]; missing: number }>('latencies', 60_000)),
  );
  if (!record) return;
  const latencies = answers.flatMap((a) => a.latencies);
  const s = summarize(latencies);
  side.latencies.push(...latencies);
  side.missing += answers.reduce((sum, a) => sum + a.missing, 0);
  side.p50Runs.push(round(s.median));
  side.p99Runs.push(round(s.p99));
}

async function memory(children: Child[]): Promise<{ rss: number[]; clients: number }> {
  const answers = await Promise.all(
    children.map(async (c) => {
      c.send({ type: 'memory' });
      return c.next<Message & { rssBytes: number; clients: number }>('memory', 10_000);
    }),
  );
  return { rss: answers.map((a) => round(a.rssBytes / 1024 / 1024)), clients: answers.reduce((n, a) => n + a.clients, 0) };
}

export async function runWebnodesBench(
  options: { perNode?: number; changes?: number; log?: (line: string) => void } = {},
): Promise<WebnodesFigures> {
  const perNode = options.perNode ?? 2_000;
  const changes = options.changes ?? 10;
  const log = options.log ?? (() => {});
  const prefix = `hqwatch_bench_${randomBytes(4).toString('hex')}`;
  const children: Child[] = [];
  const start = (file: string, args: string[]) => {
    const child = startChild(here(file), { args, openFiles: OPEN_FILES });
    children.push(child);
    return child;
  };
  try {
    const lone = start('./fanout-server.ts', ['hqwatch', 'demo', LONE]);
    const leader = start('./webnodes-server.ts', ['leader', LEADER, prefix]);
    const webs = WEB.map((host) => start('./webnodes-server.ts', ['web', host, prefix]));
    const lonePort = await addressOf(lone);
    await addressOf(leader);
    const webPorts = await Promise.all(webs.map(addressOf));
    const loneSide: Side = {
      source: lone,
      servers: [lone],
      loaders: [loader(`http://${LONE}:${lonePort}`, perNode)],
      latencies: [],
      p50Runs: [],
      p99Runs: [],
      missing: 0,
    };
    const clusterSide: Side = {
      source: leader,
      servers: webs,
      loaders: webPorts.map((port, i) => loader(`http://${WEB[i]}:${port}`, perNode)),
      latencies: [],
      p50Runs: [],
      p99Runs: [],
      missing: 0,
    };
    children.push(...loneSide.loaders, ...clusterSide.loaders);
    await Promise.all([...loneSide.loaders, ...clusterSide.loaders].map((l) => l.next('connected', 240_000)));
    await sleep(1_000);
    const [loneMemory, clusterMemory] = [await memory(loneSide.servers), await memory(clusterSide.servers)];
    log(`  connected: lone ${loneMemory.clients}, web nodes ${clusterMemory.clients}`);
    for (const side of [loneSide, clusterSide]) await measure(side, false);
    for (let i = 0; i < changes; i++) {
      for (const side of i % 2 === 0 ? [loneSide, clusterSide] : [clusterSide, loneSide]) {
        await measure(side, true);
        await sleep(50);
      }
      log(`  change ${i + 1}: lone p99 ${loneSide.p99Runs.at(-1)} ms, 3 web nodes p99 ${clusterSide.p99Runs.at(-1)} ms`);
    }
    const figures = (side: Side, clients: number, connected: number, rssMb: number[]): WebnodesSide => ({
      clients,
      connected,
      p50Runs: side.p50Runs,
      p99Runs: side.p99Runs,
      latency: summarize(side.latencies),
      missing: side.missing,
      rssMb,
    });
    return {
      perNode,
      changes,
      lone: figures(loneSide, perNode, loneMemory.clients, loneMemory.rss),
      cluster: figures(clusterSide, perNode * WEB.length, clusterMemory.clients, clusterMemory.rss),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { clients: { type: 'string' }, changes: { type: 'string' } } });
  const f = await runWebnodesBench({ perNode: Number(values.clients ?? 2_000), changes: Number(values.changes ?? 10), log: console.log });
  for (const [name, side] of [
    ['lone node', f.lone],
    ['3 web nodes', f.cluster],
  ] as const)
    console.log(
      `${name}: ${side.connected} clients, p50 ${summarize(side.p50Runs).median} ms, p99 ${summarize(side.p99Runs).median} ms, missing ${side.missing}`,
    );
}
