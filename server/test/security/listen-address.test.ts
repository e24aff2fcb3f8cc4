// Where serve and demo listen, and what their log says. Loopback octet 35 (probes go nowhere;
// the demo's lab takes 127.35.x.10).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-listen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(http: Record<string, unknown> = {}): string {
  const file = path.join(dir, `hqwatch-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    JSON.stringify({
      headquarters: {
        primary: { name: 'P', address: '127.35.9.1', probes: [{ kind: 'tcp', port: 4308 }] },
        secondary: { name: 'S', address: '127.35.9.2', probes: [{ kind: 'tcp', port: 4308 }] },
      },
      http,
    }),
  );
  return file;
}

/** Starts the command, returns the `hqwatch listening` (or demo) log entry, and stops it. */
async function listening(args: string[], msg = 'hqwatch listening'): Promise<Record<string, unknown> & { url: string; port: number }> {
  const child = spawn(process.execPath, ['bin/hqwatch.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${msg}" line: ${errors}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${errors}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string };
        if (entry.msg !== msg) return;
        clearTimeout(timer);
        resolve(entry as Record<string, unknown> & { url: string; port: number });
      });
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('serve', () => {
  it('listens on 127.0.0.1 by default, and its log says so', async () => {
    const data = path.join(dir, 'a');
    const child = spawn(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', configFile(), '--port', '0', '--data', data], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const entry = await new Promise<{ url: string; address: string; port: number }>((resolve) =>
        createInterface({ input: child.stdout }).on('line', (line) => {
          const parsed = JSON.parse(line) as { msg?: string; url: string; address: string; port: number };
          if (parsed.msg === 'hqwatch listening') resolve(parsed);
        }),
      );
      expect(entry.url).toBe(`http://127.0.0.1:${entry.port}`);
      expect(entry.address).toBe('127.0.0.1');
      expect(await reachable('127.0.0.1', entry.port)).toBe(true);
      // Another address of this machine does not reach it.
      expect(await reachable('127.35.0.1', entry.port)).toBe(false);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('listens where http.host says, and --host overrides it', async () => {
    const fromConfig = await listening([
      'serve',
      '--config',
      configFile({ host: '127.35.0.9' }),
      '--port',
      '0',
      '--data',
      path.join(dir, 'b'),
    ]);
    expect(fromConfig.url).toBe(`http://127.35.0.9:${fromConfig.port}`);
    const fromFlag = await listening([
      'serve',
      '--config',
      configFile({ host: '127.35.0.9' }),
      '--host',
      '127.35.0.8',
      '--port',
      '0',
      '--data',
      path.join(dir, 'c'),
    ]);
    expect(fromFlag.url).toBe(`http://127.35.0.8:${fromFlag.port}`);
  });

  it('says the real address when told to listen on every interface', async () => {
    const everywhere = await listening([
      'serve',
      '--config',
      configFile(),
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data',
      path.join(dir, 'd'),
    ]);
    expect(everywhere.url).toBe(`http://0.0.0.0:${everywhere.port}`);
  });
});

describe('demo', () => {
  it('stays on loopback', async () => {
    const entry = await listening([
      'demo',
      '--port',
      '0',
      '--octet',
      '35',
      '--control-port',
      '0',
      '--scenario',
      'none',
      '--data',
      path.join(dir, 'demo'),
    ]);
    expect(entry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);
});
