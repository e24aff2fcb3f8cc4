/**
 * `hqwatch serve` as a child process, for the tests that kill it (kill -9) or run several of them on
 * one store (a pair, web nodes): resolves once it says where it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/hqwatch.mjs', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
  kill(): Promise<void>;
}

export function serveProcess(configFile: string, dataDir: string, extra: string[] = [], startMs = 30_000): Promise<ServeProcess> {
  const args = [BIN, 'serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...extra];
  const child = spawn(process.execPath, args, { env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), startMs);
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({
          child,
          url: url.replace('localhost', '127.0.0.1'),
          exited,
          output: () => output,
          async kill() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** What `/api/cluster` says of an instance. */
export interface ClusterView {
  enabled: boolean;
  instance: string;
  role: 'leader' | 'standby' | 'web';
  term: number;
  leader: string | null;
  heartbeatAt: string | null;
  seq: number;
  cutOff: string | null;
  fanout: { ok: boolean; problem: string | null } | null;
}
