/**
 * Probe throughput on one core: TCP, SIP and HTTP probes per second against loopback listeners that
 * run in a child process (so the listeners do not share the monitor's core), with the monitor's CPU
 * time over wall time. Median of several runs. `npx tsx bench/server/probes.bench.ts`
 */
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ProbeConfig } from '@hqwatch/shared';
import { runBounded } from '@hqwatch/server/monitor/bounded';
import { closeSipSockets, runProbe } from '@hqwatch/server/probes';

/** Several addresses, so TCP connections spread over more (address, port) pairs. */
const HOSTS = ['127.77.200.1', '127.77.200.2', '127.77.200.3', '127.77.200.4'];
const RUNS = 5;
const CONCURRENCY = 128;
const PROBES: Record<Kind, number> = { tcp: 10_000, sip: 20_000, http: 3_000 };

type Kind = 'tcp' | 'sip' | 'http';
type Ports = Record<Kind, number>;
export type BenchFigures = Record<string, { median: number; p95: number; runs: number[] }>;

/** The child's side: one listener of each kind on every bench address. */
async function serveListeners(): Promise<void> {
  const ports: Partial<Ports> = {};
  for (const host of HOSTS) {
    const tcp = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.end();
    });
    await new Promise<void>((resolve) => tcp.listen(ports.tcp ?? 0, host, resolve));
    ports.tcp = (tcp.address() as net.AddressInfo).port;

    const web = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => web.listen(ports.http ?? 0, host, resolve));
    ports.http = (web.address() as net.AddressInfo).port;

    const sip = dgram.createSocket('udp4');
    sip.on('message', (data, from) => sip.send(sipOk(data.toString('latin1')), from.port, from.address));
    await new Promise<void>((resolve) => sip.bind(ports.sip ?? 0, host, resolve));
    ports.sip = sip.address().port;
  }
  process.send?.(ports);
}

function sipOk(request: string): string {
  const copied = request.split('\r\n').filter((line) => /^(via|from|to|call-id|cseq):/i.test(line));
  return `SIP/2.0 200 OK\r\n${copied.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
}

function probesFor(kind: Kind, ports: Ports, count: number): { probe: ProbeConfig; host: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const host = HOSTS[i % HOSTS.length];
    if (kind === 'tcp') return { host, probe: { kind, port: ports.tcp, role: 'service' } };
    if (kind === 'sip') return { host, probe: { kind, port: ports.sip, acceptCodes: [200], role: 'service' } };
    return { host, probe: { kind, url: `http://${host}:${ports.http}/`, role: 'service' } };
  });
}

async function measure(kind: Kind, ports: Ports, count: number): Promise<{ perSecond: number; cpuShare: number; failed: number }> {
  const plan = probesFor(kind, ports, count);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcomes = await runBounded(
    plan.map(
      ({ probe, host }) =>
        () =>
          runProbe(probe, host, 2_000),
    ),
    CONCURRENCY,
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSecond: (count / wallMs) * 1000,
    cpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
    failed: outcomes.filter((outcome) => !outcome.ok).length,
  };
}

function summarize(runs: number[]): { median: number; p95: number; runs: number[] } {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), runs };
}

function startListeners(): Promise<{ child: ChildProcess; ports: Ports }> {
  const child = fork(fileURLToPath(import.meta.url), ['--listeners'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`listener process exited with code ${code}`)));
    child.once('message', (ports) => resolve({ child, ports: ports as Ports }));
  });
}

/** Runs every kind RUNS times after a warm-up; figures are probes/s (wall), CPU share, and probes per CPU-second. */
export async function runProbeBench(): Promise<BenchFigures> {
  const { child, ports } = await startListeners();
  const figures: BenchFigures = {};
  try {
    for (const kind of ['tcp', 'sip', 'http'] as const) {
      await measure(kind, ports, Math.ceil(PROBES[kind] / 5));
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(kind, ports, PROBES[kind]));
      const failed = runs.reduce((sum, run) => sum + run.failed, 0);
      if (failed > 0) console.warn(`${kind}: ${failed} probes failed during the runs`);
      figures[`${kind} probes/s`] = summarize(runs.map((run) => Math.round(run.perSecond)));
      figures[`${kind} cpu/wall`] = summarize(runs.map((run) => Math.round(run.cpuShare * 100) / 100));
      figures[`${kind} probes/cpu-s`] = summarize(runs.map((run) => Math.round(run.perSecond / run.cpuShare)));
    }
  } finally {
    child.removeAllListeners('exit');
    child.kill();
    closeSipSockets();
  }
  return figures;
}

function printTable(figures: BenchFigures): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`probe throughput, concurrency ${CONCURRENCY}, ${RUNS} runs — Node ${process.version}, ${cpu}, ${os.cpus().length} cores`);
  console.log(`${'figure'.padEnd(20)}${'median'.padStart(10)}${'p95'.padStart(10)}  runs`);
  for (const [name, { median, p95, runs }] of Object.entries(figures)) {
    console.log(`${name.padEnd(20)}${String(median).padStart(10)}${String(p95).padStart(10)}  ${runs.join(' ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--listeners')) await serveListeners();
  else printTable(await runProbeBench());
}
