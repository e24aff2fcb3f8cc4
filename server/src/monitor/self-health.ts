import { monitorEventLoopDelay } from 'node:perf_hooks';
import si from 'systeminformation';
import type { Logger } from '../logger.ts';
import { systemClock, type Clock } from './clock.ts';

export interface NetworkHealth {
  /** The default interface, or null when the host has none (e.g. an isolated container). */
  iface: string | null;
  /** Whether it is up; null while unknown. */
  up: boolean | null;
  checkedAt: string | null;
}

export interface SelfHealthReport {
  network: NetworkHealth;
  eventLoop: { meanMs: number; p99Ms: number; maxMs: number };
  cpu: { loadPercent: number | null; processPercent: number };
  memory: { rssBytes: number; heapUsedBytes: number; systemTotalBytes: number | null; systemAvailableBytes: number | null };
  uptimeSeconds: number;
}

export interface SelfHealth {
  start(): void;
  stop(): void;
  /** The last known state of the default interface (cached; refreshed in the background). */
  network(): NetworkHealth;
  report(): Promise<SelfHealthReport>;
}

export type NetworkProbe = () => Promise<{ iface: string | null; up: boolean | null }>;

/** Reads the default interface and its operational state through systeminformation. */
export const systemNetworkProbe: NetworkProbe = async () => {
  const iface = await si.networkInterfaceDefault();
  if (!iface) return { iface: null, up: null };
  const list = await si.networkInterfaces();
  const entry = (Array.isArray(list) ? list : [list]).find((n) => n.iface === iface);
  if (!entry) return { iface, up: false };
  // Virtual links often report "unknown" while passing traffic; only an explicit "down" counts.
  return { iface, up: entry.operstate !== 'down' };
};

const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

/**
 * The monitor's own health: event-loop delay, CPU, memory, and whether the host's default network
 * interface is up. When it is down the monitor is blind, never a failover.
 */
export function createSelfHealth(opts: { log: Logger; networkProbe?: NetworkProbe; refreshMs?: number; clock?: Clock }): SelfHealth {
  const { log, networkProbe = systemNetworkProbe, refreshMs = 5_000, clock = systemClock } = opts;
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  let network: NetworkHealth = { iface: null, up: null, checkedAt: null };
  let timer: NodeJS.Timeout | undefined;
  let lastCpu = process.cpuUsage();
  let lastCpuAt = clock.monotonic();

  async function refresh(): Promise<void> {
    try {
      const next = await networkProbe();
      if (next.up !== network.up && network.checkedAt) log.warn({ iface: next.iface, up: next.up }, 'default network interface changed');
      network = { ...next, checkedAt: new Date(clock.now()).toISOString() };
    } catch (err) {
      log.warn({ err }, 'could not read the network interface state');
    }
  }

  return {
    start() {
      histogram.enable();
      void refresh();
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
    },
    stop() {
      histogram.disable();
      clearInterval(timer);
    },
    network: () => network,
    async report() {
      const [load, mem] = await Promise.all([si.currentLoad().catch(() => null), si.mem().catch(() => null)]);
      const cpu = process.cpuUsage(lastCpu);
      const elapsed = clock.monotonic() - lastCpuAt;
      lastCpu = process.cpuUsage();
      lastCpuAt = clock.monotonic();
      const usage = process.memoryUsage();
      return {
        network,
        eventLoop: { meanMs: ms(histogram.mean || 0), p99Ms: ms(histogram.percentile(99) || 0), maxMs: ms(histogram.max || 0) },
        cpu: {
          loadPercent: load ? Math.round(load.currentLoad * 10) / 10 : null,
          processPercent: elapsed > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / elapsed) * 1000) / 10 : 0,
        },
        memory: {
          rssBytes: usage.rss,
          heapUsedBytes: usage.heapUsed,
          systemTotalBytes: mem?.total ?? null,
          systemAvailableBytes: mem?.available ?? null,
        },
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
  };
}
