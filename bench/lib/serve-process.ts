/**
 * `hqwatch serve` as users run it — `node bin/hqwatch.mjs serve`, the bundled server after
 * `npm run build` — in its own process, with its CPU and memory read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LiveState } from '@hqwatch/shared';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface ProcessSample {
  /** User + system CPU time so far, in ms. */
  cpuMs: number;
  rssMb: number;
}

/** CPU time and resident memory of process `pid`, from /proc. */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuMs: (ticks / TICKS_PER_SECOND) * 1000, rssMb: Math.round((rssKb / 1024) * 10) / 10 };
}

export interface ServeProcess {
  url: string;
  pid: number;
  sample(): ProcessSample;
  state(): Promise<LiveState>;
  rounds(): Promise<{ rounds: number; lateRounds: number }>;
  stop(): Promise<void>;
}

/** Writes `document` as the config file and starts `hqwatch serve` on `host`, port 0. */
export async function startServeProcess(document: unknown, host: string): Promise<ServeProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-serve-'));
  const configFile = path.join(dir, 'hqwatch.yaml');
  // YAML is a superset of JSON.
  writeFileSync(configFile, JSON.stringify(document));
  const child: ChildProcess = spawn(
    process.execPath,
    // The flag the `hqwatch` command's shebang and `npm start` give Node.
    [
      '--max-semi-space-size=2',
      path.join(ROOT, 'bin/hqwatch.mjs'),
      'serve',
      '--config',
      configFile,
      '--port',
      '0',
      '--host',
      host,
      '--data',
      path.join(dir, 'data'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hqwatch serve did not start in 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`hqwatch serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('hqwatch listening')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const get = async <T>(p: string) => (await (await fetch(`${url}${p}`)).json()) as T;
  return {
    url,
    pid: child.pid!,
    sample: () => sampleProcess(child.pid!),
    state: () => get<LiveState>('/api/state'),
    rounds: async () => (await get<{ rounds: { rounds: number; lateRounds: number } }>('/api/health')).rounds,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RSS of a Node process with nothing loaded, in MB: the floor under any figure of a Node server. */
export function bareNodeRssMb(): number {
  const out = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], { encoding: 'utf8' });
  return Math.round((Number(out.stdout) / 1024 / 1024) * 10) / 10;
}
