import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/hqwatch.mjs', import.meta.url));

export interface ServeChild {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** `hqwatch serve` as a child process on 127.0.0.1, port 0; resolves once it logs where it listens. */
export function serveChild(configFile: string, dataDir: string, startMs = 30_000): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
    env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
        resolve({ child, url: url.replace('localhost', '127.0.0.1'), exited });
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
}

/** GETs JSON, failing on any status but 2xx. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}
